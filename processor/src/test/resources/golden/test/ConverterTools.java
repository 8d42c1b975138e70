package test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.ToolArguments;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * The tools of {@link Converter}, generated from its {@code @Tool} methods.
 *
 * <p>Create one with {@link #of(Converter)} and pass it to the LLMCompiler runtime.
 */
@Generated("dev.llmcompiler.processor.ToolProcessor")
@SuppressWarnings({"deprecation", "removal"})
public final class ConverterTools implements ToolSet {
  private static final ToolDescriptor CONVERT = ToolDescriptor.builder()
      .name("convert")
      .description("Converts money into another currency at today's rate.")
      .parameters("{\"type\":\"object\",\"properties\":{\"money\":{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"number\",\"description\":\"the amount, in units of the currency\"},\"currency\":{\"type\":\"string\",\"enum\":[\"EUR\",\"USD\",\"JPY\"],\"description\":\"its currency\"}},\"required\":[\"amount\",\"currency\"],\"additionalProperties\":false,\"description\":\"what to convert\"},\"to\":{\"type\":\"string\",\"enum\":[\"EUR\",\"USD\",\"JPY\"],\"description\":\"the target currency\"}},\"required\":[\"money\",\"to\"],\"additionalProperties\":false}")
      .returns("{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"number\",\"description\":\"the amount, in units of the currency\"},\"currency\":{\"type\":\"string\",\"enum\":[\"EUR\",\"USD\",\"JPY\"],\"description\":\"its currency\"}},\"required\":[\"amount\",\"currency\"],\"additionalProperties\":false}")
      .signature("convert(money: {amount: number, currency: \"EUR\"|\"USD\"|\"JPY\"}, to: \"EUR\"|\"USD\"|\"JPY\") -> {amount: number, currency: \"EUR\"|\"USD\"|\"JPY\"}")
      .strict(true)
      .async(false)
      .effect(Effect.MUTATING)
      .build();

  private static final TypeReference<Converter.Money> CONVERT_MONEY_TYPE = new TypeReference<Converter.Money>() {};

  private static final ToolDescriptor SUM = ToolDescriptor.builder()
      .name("sum")
      .description("Sums amounts.")
      .parameters("{\"type\":\"object\",\"properties\":{\"amounts\":{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"description\":\"the amounts to add\"},\"label\":{\"type\":[\"string\",\"null\"],\"description\":\"a name for the sum, shown in reports\"}},\"required\":[\"amounts\",\"label\"],\"additionalProperties\":false}")
      .returns("{\"type\":\"number\"}")
      .signature("sum(amounts: list[number], label?: string) -> number")
      .strict(true)
      .async(false)
      .effect(Effect.MUTATING)
      .build();

  private static final TypeReference<List<Double>> SUM_AMOUNTS_TYPE = new TypeReference<List<Double>>() {};

  private static final ToolDescriptor RATE = ToolDescriptor.builder()
      .name("rate")
      .description("Looks up a rate without blocking.")
      .parameters("{\"type\":\"object\",\"properties\":{\"from\":{\"type\":\"string\",\"enum\":[\"EUR\",\"USD\",\"JPY\"],\"description\":\"source\"},\"to\":{\"type\":\"string\",\"enum\":[\"EUR\",\"USD\",\"JPY\"],\"description\":\"target\"}},\"required\":[\"from\",\"to\"],\"additionalProperties\":false}")
      .returns("{\"type\":\"number\"}")
      .signature("rate(from: \"EUR\"|\"USD\"|\"JPY\", to: \"EUR\"|\"USD\"|\"JPY\") -> number")
      .strict(true)
      .async(true)
      .effect(Effect.MUTATING)
      .build();

  private static final List<ToolDescriptor> TOOLS = List.of(CONVERT, SUM, RATE);

  private final Converter target;

  private ConverterTools(Converter target) {
    this.target = target;
  }

  /**
   * The tools of {@code target}; every call is made on it.
   */
  public static ConverterTools of(Converter target) {
    return new ConverterTools(Objects.requireNonNull(target, "ConverterTools.of(target): target is null; pass the Converter instance whose @Tool methods should be called"));
  }

  @Override
  public List<ToolDescriptor> tools() {
    return TOOLS;
  }

  @Override
  public CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) throws Exception {
    switch (Objects.requireNonNull(tool, "tool")) {
      case "convert":
        return callConvert(arguments);
      case "sum":
        return callSum(arguments);
      case "rate":
        return callRate(arguments);
      default:
        throw ToolArguments.unknownTool(tool, TOOLS);
    }
  }

  private CompletionStage<JsonNode> callConvert(ObjectNode arguments) throws Exception {
    ToolArguments args = ToolArguments.of(CONVERT, arguments);
    Converter.Money money = args.value("money", CONVERT_MONEY_TYPE);
    Converter.Currency to = args.enumValue("to", Converter.Currency.values());
    Converter.Money result = target.convert(money, to);
    return CompletableFuture.completedFuture(ToolArguments.encode(result));
  }

  private CompletionStage<JsonNode> callSum(ObjectNode arguments) throws Exception {
    ToolArguments args = ToolArguments.of(SUM, arguments);
    List<Double> amounts = args.value("amounts", SUM_AMOUNTS_TYPE);
    Optional<String> label = Optional.ofNullable(args.string("label"));
    double result = target.total(amounts, label);
    return CompletableFuture.completedFuture(ToolArguments.encode(result));
  }

  private CompletionStage<JsonNode> callRate(ObjectNode arguments) throws Exception {
    ToolArguments args = ToolArguments.of(RATE, arguments);
    Converter.Currency from = args.enumValue("from", Converter.Currency.values());
    Converter.Currency to = args.enumValue("to", Converter.Currency.values());
    CompletableFuture<Double> result = target.rate(from, to);
    return Objects.requireNonNull(result, "Tool 'rate' returned null instead of a CompletionStage").thenApply(ToolArguments::encode);
  }
}
