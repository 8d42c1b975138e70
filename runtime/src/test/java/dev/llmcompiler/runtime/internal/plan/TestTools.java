package dev.llmcompiler.runtime.internal.plan;

import dev.llmcompiler.runtime.ToolDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tool catalog the parser tests plan against: one tool per kind of parameter schema. */
final class TestTools {

  private TestTools() {}

  static final ToolDescriptor SEARCH =
      tool(
          "search",
          "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}},\"required\":[\"query\"]}",
          "search(query: string) -> string");

  static final ToolDescriptor MATH =
      tool(
          "math",
          "{\"type\":\"object\",\"properties\":{\"problem\":{\"type\":\"string\"},"
              + "\"context\":{\"anyOf\":[{\"type\":\"array\",\"items\":{\"type\":\"string\"}},{\"type\":\"null\"}]}},"
              + "\"required\":[\"problem\",\"context\"]}",
          "math(problem: string, context: list[string] | null) -> number");

  static final ToolDescriptor GET_PRICE =
      tool(
          "get_price",
          "{\"type\":\"object\",\"properties\":{\"symbol\":{\"type\":\"string\"},"
              + "\"currency\":{\"type\":[\"string\",\"null\"],\"enum\":[\"USD\",\"EUR\",null]}},"
              + "\"required\":[\"symbol\",\"currency\"]}",
          "get_price(symbol: string, currency: \"USD\" | \"EUR\" | null) -> {price: number, currency: string}");

  static final ToolDescriptor CONVERT =
      tool(
          "convert",
          "{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"number\"},\"from\":{\"type\":\"string\"},"
              + "\"to\":{\"type\":\"string\"}},\"required\":[\"amount\",\"from\",\"to\"]}",
          "convert(amount: number, from: string, to: string) -> number");

  static final ToolDescriptor TOP_K =
      tool(
          "top_k",
          "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\"},\"k\":{\"type\":\"integer\"}},"
              + "\"required\":[\"items\",\"k\"]}",
          "top_k(items: list, k: integer) -> list");

  static final ToolDescriptor CREATE_ORDER =
      tool(
          "create_order",
          "{\"type\":\"object\",\"properties\":{\"order\":{\"type\":\"object\"},\"quantity\":{\"type\":\"integer\"},"
              + "\"express\":{\"type\":\"boolean\"}},\"required\":[\"order\",\"quantity\"]}",
          "create_order(order: object, quantity: integer, express?: boolean) -> object");

  static final ToolDescriptor WEATHER =
      tool(
          "weather",
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
              + "\"days\":{\"type\":[\"integer\",\"null\"]}},\"required\":[\"city\"]}",
          "weather(city: string, days?: integer | null) -> object");

  static final ToolDescriptor NOW =
      tool("now", "{\"type\":\"object\",\"properties\":{}}", "now() -> string");

  /** All test tools by name, in a fixed order. */
  static Map<String, ToolDescriptor> all() {
    Map<String, ToolDescriptor> tools = new LinkedHashMap<>();
    for (ToolDescriptor tool :
        new ToolDescriptor[] {
          SEARCH, MATH, GET_PRICE, CONVERT, TOP_K, CREATE_ORDER, WEATHER, NOW
        }) {
      tools.put(tool.name(), tool);
    }
    return tools;
  }

  private static ToolDescriptor tool(String name, String parameters, String signature) {
    return ToolDescriptor.builder()
        .name(name)
        .description("Test tool " + name + ".")
        .parameters(parameters)
        .returns("{}")
        .signature(signature)
        .build();
  }
}
