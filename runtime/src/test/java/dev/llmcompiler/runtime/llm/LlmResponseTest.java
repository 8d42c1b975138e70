package dev.llmcompiler.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LlmResponseTest {

  @Test
  void builderSetsEveryField() {
    TokenUsage usage =
        TokenUsage.builder().promptTokens(10).completionTokens(2).cachedPromptTokens(8).build();
    LlmResponse response =
        LlmResponse.builder().text("Paris").usage(usage).finishReason("stop").build();

    assertThat(response.text()).isEqualTo("Paris");
    assertThat(response.usage()).isEqualTo(usage);
    assertThat(response.usage().cachedPromptTokens()).hasValue(8);
    assertThat(response.finishReason()).hasValue("stop");
  }

  @Test
  void usageDefaultsToZeroAndTheFinishReasonToUnknown() {
    LlmResponse response = LlmResponse.builder().text("").build();

    assertThat(response.usage()).isSameAs(TokenUsage.ZERO);
    assertThat(response.finishReason()).isEmpty();
    assertThat(LlmResponse.of("x", TokenUsage.of(1, 1)).finishReason()).isEmpty();
  }

  @Test
  void buildNamesTheMissingText() {
    assertThatThrownBy(
            () -> LlmResponse.builder().usage(TokenUsage.ZERO).finishReason("stop").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`text` is required but was not set");
  }

  @Test
  void anUnknownFinishReasonIsLeftUnsetNotEmpty() {
    assertThatThrownBy(() -> LlmResponse.builder().finishReason(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leave it unset");
    assertThatThrownBy(() -> LlmResponse.builder().finishReason(Optional.of("")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmResponse.builder().text(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> LlmResponse.builder().usage(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalValuesAreEqualAndToBuilderCopies() {
    LlmResponse response =
        LlmResponse.builder().text("a").usage(TokenUsage.of(3, 1)).finishReason("length").build();
    LlmResponse same =
        LlmResponse.of("a", TokenUsage.of(3, 1)).toBuilder().finishReason("length").build();

    assertThat(response).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(response).isNotEqualTo(response.toBuilder().finishReason(Optional.empty()).build());
    assertThat(response).isNotEqualTo(response.toBuilder().text("b").build());
    assertThat(response).isNotEqualTo(response.toBuilder().usage(TokenUsage.of(3, 2)).build());
    assertThat(response.toBuilder().build()).isEqualTo(response);
    assertThat(response.toString())
        .isEqualTo(
            "LlmResponse[text=a, usage=TokenUsage[promptTokens=3, completionTokens=1], finishReason=length]");
  }
}
