package dev.llmcompiler.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Generated tool sets as LangChain4j tools: one {@link ToolSpecification} and one {@link
 * ToolExecutor} per tool, for an existing LangChain4j agent to call build-time-checked tools.
 *
 * <pre>{@code
 * interface Assistant {
 *   String chat(String message);
 * }
 *
 * Assistant assistant = AiServices.builder(Assistant.class)
 *     .chatModel(OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o-mini").build())
 *     .tools(LangChain4jTools.from(WeatherServiceTools.of(new WeatherService())))
 *     .build();
 * String answer = assistant.chat("Is it warmer in Paris or in Rome?");
 * }</pre>
 *
 * <p>Each specification carries the tool's name, description and parameters, converted from the
 * schema the annotation processor wrote at build time into LangChain4j's schema elements without
 * loss: nested objects, arrays, enums, optional (nullable) values and recursive types (as {@code
 * $defs} definitions and references); a schema node that LangChain4j's typed elements cannot
 * express exactly (a {@code format}, a map's value schema) travels as a raw JSON schema. A tool
 * whose schema is not OpenAI-strict is marked {@code strict(false)}; for the others the model's
 * {@code strictTools} setting decides.
 *
 * <p>Each executor invokes the tool through its generated invoker (no reflection) and returns the
 * result as JSON text, e.g. {@code {"city":"Paris","celsius":21.5}}; a {@code String} result is a
 * JSON string. An asynchronous tool is awaited. Arguments that do not fit throw LangChain4j's
 * {@code ToolArgumentsException}; an exception from the tool becomes a {@code
 * ToolExecutionException}, whose message AI Services send back to the model by default (configure
 * {@code toolExecutionErrorHandler} to change that).
 */
public final class LangChain4jTools {
  private LangChain4jTools() {}

  /**
   * The tools of these sets, in order, as a map for {@code AiServices.builder(...).tools(map)}.
   *
   * @throws IllegalArgumentException if two tools share a name
   */
  public static Map<ToolSpecification, ToolExecutor> from(ToolSet... toolSets) {
    Objects.requireNonNull(toolSets, "toolSets");
    Map<ToolSpecification, ToolExecutor> tools = new LinkedHashMap<>();
    Map<String, ToolSet> owners = new HashMap<>();
    for (ToolSet toolSet : toolSets) {
      Objects.requireNonNull(toolSet, "a tool set is null");
      for (ToolDescriptor tool : toolSet.tools()) {
        ToolSet earlier = owners.putIfAbsent(tool.name(), toolSet);
        if (earlier != null) {
          throw new IllegalArgumentException(
              "Two tools are named '"
                  + tool.name()
                  + "' (in "
                  + earlier.getClass().getSimpleName()
                  + " and "
                  + toolSet.getClass().getSimpleName()
                  + "); a model calls tools by name, so rename one with @Tool(name = ...).");
        }
        tools.put(specification(tool), new ToolSetExecutor(toolSet, tool));
      }
    }
    return Collections.unmodifiableMap(tools);
  }

  /** The LangChain4j specification of one tool, for building a {@code ChatRequest} by hand. */
  public static ToolSpecification specification(ToolDescriptor tool) {
    Objects.requireNonNull(tool, "tool");
    ToolSpecification.Builder specification =
        ToolSpecification.builder()
            .name(tool.name())
            .parameters(JsonSchemaConverter.parameters(tool.parameters()));
    if (!tool.description().isEmpty()) {
      specification.description(tool.description());
    }
    if (!tool.strict()) {
      // Under strict mode OpenAI rejects this schema (it has a map), whatever the model's setting.
      specification.strict(false);
    }
    return specification.build();
  }
}
