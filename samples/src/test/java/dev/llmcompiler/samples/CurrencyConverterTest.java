package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CurrencyConverterTest {
  private final CurrencyConverter converter = new CurrencyConverter();

  @Test
  void convertsAtTheFixedRatesRoundingToCents() {
    assertThat(converter.convert(new Money(100, "USD"), "EUR")).isEqualTo(new Money(92.0, "EUR"));
    assertThat(converter.convert(new Money(92, "EUR"), "usd")).isEqualTo(new Money(100.0, "USD"));
    assertThat(converter.convert(new Money(10, "EUR"), "JPY")).isEqualTo(new Money(1706.52, "JPY"));
    assertThat(converter.convert(new Money(3150, "USD"), "EUR"))
        .isEqualTo(new Money(2898.0, "EUR"));
  }

  @Test
  void unknownCurrenciesNameTheArgumentAndTheKnownOnes() {
    assertThatThrownBy(() -> converter.convert(new Money(1, "USD"), "XYZ"))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessage(
            "Tool 'convert': unknown currency 'XYZ' in argument 'to'. Use one of CHF, CNY, EUR, GBP, JPY, USD.");
    assertThatThrownBy(() -> converter.convert(new Money(1, "Dollars"), "EUR"))
        .hasMessageContaining("unknown currency 'Dollars' in argument 'amount'");
  }

  @Test
  void generatedToolSetTakesAndReturnsTheRecordAsJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode args = json.createObjectNode();
    args.putObject("amount").put("amount", 3400).put("currency", "USD");
    args.put("to", "EUR");
    JsonNode result =
        CurrencyConverterTools.of(converter)
            .invoke("convert", args)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(result.path("amount").asDouble()).isEqualTo(3128.0);
    assertThat(result.path("currency").asText()).isEqualTo("EUR");
  }
}
