package test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.ToolArguments;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * The tools of {@link Rates}, generated from its {@code @Tool} methods.
 *
 * <p>Its tools are static: create one with {@link #of()} and pass it to the LLMCompiler runtime.
 */
@Generated("dev.llmcompiler.processor.ToolProcessor")
@SuppressWarnings({"deprecation", "removal"})
public final class RatesTools implements ToolSet {
  private static final ToolDescriptor GET_RATE = ToolDescriptor.builder()
      .name("get-rate")
      .description("The rate from one currency to another.")
      .parameters("{\"type\":\"object\",\"properties\":{\"from\":{\"type\":\"string\",\"description\":\"the source currency, an ISO 4217 code\"},\"to\":{\"type\":\"string\",\"description\":\"the target currency, an ISO 4217 code\"}},\"required\":[\"from\",\"to\"],\"additionalProperties\":false}")
      .returns("{\"type\":\"number\"}")
      .signature("get-rate(from: string, to: string) -> number")
      .strict(true)
      .async(false)
      .effect(Effect.READ_ONLY)
      .build();

  private static final ToolDescriptor PERCENT_OF = ToolDescriptor.builder()
      .name("percent_of")
      .description("A percentage of an amount.")
      .parameters("{\"type\":\"object\",\"properties\":{\"percent\":{\"type\":\"integer\",\"description\":\"how many percent\"},\"target\":{\"type\":\"number\",\"description\":\"the amount\"}},\"required\":[\"percent\",\"target\"],\"additionalProperties\":false}")
      .returns("{\"type\":\"number\"}")
      .signature("percent_of(percent: integer, target: number) -> number")
      .strict(true)
      .async(false)
      .effect(Effect.READ_ONLY)
      .build();

  private static final ToolDescriptor CHECK = ToolDescriptor.builder()
      .name("check")
      .description("Checks that a rate is positive, or fails naming the sources that reported it.")
      .parameters("{\"type\":\"object\",\"properties\":{\"result\":{\"type\":\"number\",\"description\":\"the rate\"},\"args\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"where it was seen\"}},\"required\":[\"result\",\"args\"],\"additionalProperties\":false}")
      .returns("{\"type\":\"null\"}")
      .signature("check(result: number, args: list[string]) -> null")
      .strict(true)
      .async(false)
      .effect(Effect.MUTATING)
      .build();

  private static final TypeReference<List<String>> CHECK_ARGS_TYPE = new TypeReference<List<String>>() {};

  private static final List<ToolDescriptor> TOOLS = List.of(GET_RATE, PERCENT_OF, CHECK);

  private RatesTools() {
  }

  /**
   * The tools of {@link Rates}; every call is a static call on it.
   */
  public static RatesTools of() {
    return new RatesTools();
  }

  @Override
  public List<ToolDescriptor> tools() {
    return TOOLS;
  }

  @Override
  public CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) throws Exception {
    switch (Objects.requireNonNull(tool, "tool")) {
      case "get-rate":
        return callGetRate(arguments);
      case "percent_of":
        return callPercentOf(arguments);
      case "check":
        return callCheck(arguments);
      default:
        throw ToolArguments.unknownTool(tool, TOOLS);
    }
  }

  private CompletionStage<JsonNode> callGetRate(ObjectNode arguments) throws Exception {
    ToolArguments args = ToolArguments.of(GET_RATE, arguments);
    String from = args.string("from");
    String to = args.string("to");
    double result = Rates.rate(from, to);
    return CompletableFuture.completedFuture(ToolArguments.encode(result));
  }

  private CompletionStage<JsonNode> callPercentOf(ObjectNode arguments) throws Exception {
    ToolArguments args = ToolArguments.of(PERCENT_OF, arguments);
    int percent = args.intValue("percent");
    double targetArg = args.doubleValue("target");
    double result = Rates.percentOf(percent, targetArg);
    return CompletableFuture.completedFuture(ToolArguments.encode(result));
  }

  private CompletionStage<JsonNode> callCheck(ObjectNode arguments) throws Exception {
    ToolArguments args = ToolArguments.of(CHECK, arguments);
    double resultArg = args.doubleValue("result");
    List<String> argsArg = args.value("args", CHECK_ARGS_TYPE);
    Rates.check(resultArg, argsArg);
    return CompletableFuture.completedFuture(NullNode.getInstance());
  }
}
