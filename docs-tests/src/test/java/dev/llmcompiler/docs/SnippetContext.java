package dev.llmcompiler.docs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a README fragment is compiled within, named by {@code <!-- compile: context=NAME -->}: the
 * imports the reader is assumed to have, the fields a statement fragment may use (e.g. {@code
 * llm}), and stand-ins for the reader's own types that the page only mentions (compiled once per
 * run).
 *
 * @param name the name a directive uses
 * @param imports what to import, e.g. {@code java.time.Duration} or {@code
 *     dev.llmcompiler.runtime.*}
 * @param fields field declarations of the class around a fragment, e.g. {@code OpenAiLlm llm;}
 * @param standIns whole source files by path, e.g. {@code ForecastSource.java}
 */
record SnippetContext(
    String name, List<String> imports, List<String> fields, Map<String, String> standIns) {

  private static final List<String> RUN_IMPORTS =
      List.of(
          "java.time.Duration",
          "dev.llmcompiler.openai.OpenAiLlm",
          // The runtime's whole API package, so a snippet using a type new to it needs no edit
          // here.
          "dev.llmcompiler.runtime.*",
          // The README's own MarketData and Shop blocks (package demo), compiled in the same run.
          "demo.MarketData",
          "demo.MarketDataTools",
          "demo.Shop",
          "demo.ShopTools");
  private static final List<String> RUN_FIELDS = List.of("OpenAiLlm llm;", "ToolSet tools;");

  /** Every context, by name. */
  static final Map<String, SnippetContext> ALL =
      byName(
          // A run of the README's MarketData tools, with a client `llm` and any tool set `tools` at
          // hand.
          new SnippetContext("run", RUN_IMPORTS, RUN_FIELDS, Map.of()),
          // The same, with the MCP module and the MCP Java SDK's client.
          new SnippetContext(
              "mcp",
              concat(
                  RUN_IMPORTS,
                  "dev.llmcompiler.mcp.McpHttpServer",
                  "dev.llmcompiler.mcp.McpToolServer",
                  "dev.llmcompiler.mcp.McpToolSet",
                  "io.modelcontextprotocol.client.McpClient",
                  "io.modelcontextprotocol.client.McpSyncClient",
                  "io.modelcontextprotocol.client.transport.ServerParameters",
                  "io.modelcontextprotocol.client.transport.StdioClientTransport",
                  "io.modelcontextprotocol.json.McpJsonDefaults"),
              RUN_FIELDS,
              Map.of()),
          // The same, with the OpenTelemetry module and the OpenTelemetry API.
          new SnippetContext(
              "otel",
              concat(
                  RUN_IMPORTS,
                  "dev.llmcompiler.opentelemetry.LlmCompilerTelemetry",
                  "io.opentelemetry.api.GlobalOpenTelemetry"),
              RUN_FIELDS,
              Map.of()),
          // An agent over the samples' tools (module samples: Encyclopedia, Calculator).
          new SnippetContext(
              "agent",
              List.of(
                  "java.time.Duration",
                  "dev.llmcompiler.annotations.Agent",
                  "dev.llmcompiler.annotations.PlanExample",
                  "dev.llmcompiler.openai.OpenAiLlm",
                  "dev.llmcompiler.samples.Calculator",
                  "dev.llmcompiler.samples.CalculatorTools",
                  "dev.llmcompiler.samples.Encyclopedia",
                  "dev.llmcompiler.samples.EncyclopediaTools"),
              List.of(),
              Map.of()),
          // A Spring Boot application with the starter and Spring Web; ForecastSource and Forecast
          // are the
          // application's own types, which the page mentions but does not show (see
          // samples-spring).
          new SnippetContext(
              "spring",
              List.of(
                  "dev.llmcompiler.annotations.Agent",
                  "dev.llmcompiler.annotations.Tool",
                  "dev.llmcompiler.spring.boot.LlmCompilerCustomizer",
                  "org.springframework.context.annotation.Bean",
                  "org.springframework.stereotype.Service",
                  "org.springframework.web.bind.annotation.GetMapping",
                  "org.springframework.web.bind.annotation.RequestParam",
                  "org.springframework.web.bind.annotation.RestController"),
              List.of(),
              Map.of(
                  "Forecast.java",
                      """
              /**
               * A day's weather forecast.
               *
               * @param city the city
               * @param highCelsius the day's highest temperature, in degrees Celsius
               * @param sky the sky, e.g. "sunny"
               */
              public record Forecast(String city, int highCelsius, String sky) {}
              """,
                  "ForecastSource.java",
                      """
              /** Where forecasts come from. */
              public interface ForecastSource {
                /** Tomorrow's forecast for a city. */
                Forecast tomorrow(String city);
              }
              """)));

  private static Map<String, SnippetContext> byName(SnippetContext... contexts) {
    Map<String, SnippetContext> all = new TreeMap<>();
    for (SnippetContext context : contexts) {
      all.put(context.name(), context);
    }
    return all;
  }

  private static List<String> concat(List<String> first, String... more) {
    return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(more)).toList();
  }
}
