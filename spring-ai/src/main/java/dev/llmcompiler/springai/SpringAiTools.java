package dev.llmcompiler.springai;

import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * Generated tool sets as Spring AI tools: one {@link ToolCallback} per tool, for an existing Spring
 * AI application to call build-time-checked tools.
 *
 * <pre>{@code
 * ChatClient chatClient = ChatClient.builder(chatModel)
 *     .defaultToolCallbacks(SpringAiTools.from(WeatherServiceTools.of(new WeatherService())))
 *     .build();
 * String answer = chatClient.prompt("Is it warmer in Paris or in Rome?").call().content();
 *
 * // Or as a bean, for Spring AI's auto-configuration (and its MCP server starter) to pick up:
 * @Bean
 * ToolCallbackProvider weatherTools(WeatherService weather) {
 *   return SpringAiTools.provider(WeatherServiceTools.of(weather));
 * }
 * }</pre>
 *
 * <p>Each callback's definition has the tool's name and description, and the JSON schema the
 * annotation processor wrote at build time, unchanged, as its input schema. A call invokes the tool
 * through its generated invoker (no reflection) and returns the result as JSON text, e.g. {@code
 * {"city":"Paris","celsius":21.5}}; a {@code String} result is a JSON string, as with Spring AI's
 * own method tools. An asynchronous tool is awaited. Bad arguments and the tool's exceptions are
 * thrown as Spring AI's {@code ToolExecutionException}; by default Spring AI sends their message
 * back to the model.
 */
public final class SpringAiTools {
  private SpringAiTools() {}

  /**
   * The tools of these sets, in order, as tool callbacks.
   *
   * @throws IllegalArgumentException if two tools share a name
   */
  public static ToolCallback[] from(ToolSet... toolSets) {
    Objects.requireNonNull(toolSets, "toolSets");
    List<ToolCallback> callbacks = new ArrayList<>();
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
        callbacks.add(new ToolSetCallback(toolSet, tool));
      }
    }
    return callbacks.toArray(new ToolCallback[0]);
  }

  /**
   * The tools of these sets as a {@link ToolCallbackProvider}, the type Spring AI's
   * auto-configuration collects from the application context.
   *
   * @throws IllegalArgumentException if two tools share a name
   */
  public static ToolCallbackProvider provider(ToolSet... toolSets) {
    return ToolCallbackProvider.from(from(toolSets));
  }
}
