package dev.llmcompiler.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TokenUsageTest {

  private static TokenUsage cached(long prompt, long completion, long cached) {
    return TokenUsage.builder()
        .promptTokens(prompt)
        .completionTokens(completion)
        .cachedPromptTokens(cached)
        .build();
  }

  @Test
  void ofLeavesCachedTokensUnknown() {
    TokenUsage usage = TokenUsage.of(120, 14);

    assertThat(usage.promptTokens()).isEqualTo(120);
    assertThat(usage.completionTokens()).isEqualTo(14);
    assertThat(usage.totalTokens()).isEqualTo(134);
    assertThat(usage.cachedPromptTokens()).isEmpty();
  }

  @Test
  void zeroCachedDiffersFromUnknown() {
    TokenUsage none = cached(100, 5, 0);

    assertThat(none.cachedPromptTokens()).hasValue(0);
    assertThat(none).isNotEqualTo(TokenUsage.of(100, 5));
    assertThat(none.toString())
        .isEqualTo("TokenUsage[promptTokens=100, completionTokens=5, cachedPromptTokens=0]");
    assertThat(TokenUsage.of(100, 5).toString())
        .isEqualTo("TokenUsage[promptTokens=100, completionTokens=5]");
  }

  @Test
  void buildNamesTheMissingField() {
    assertThatThrownBy(() -> TokenUsage.builder().completionTokens(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`promptTokens` is required but was not set");
    assertThatThrownBy(() -> TokenUsage.builder().promptTokens(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`completionTokens` is required but was not set");
  }

  @Test
  void countsMustNotBeNegative() {
    assertThatThrownBy(() -> TokenUsage.of(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("promptTokens must not be negative, got -1");
    assertThatThrownBy(() -> TokenUsage.of(0, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("completionTokens must not be negative, got -2");
    assertThatThrownBy(() -> TokenUsage.builder().cachedPromptTokens(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cachedPromptTokens must not be negative, got -3");
    assertThatThrownBy(() -> TokenUsage.builder().cachedPromptTokens(OptionalLong.of(-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cachedPromptTokens must not be negative, got -3");
  }

  @Test
  void cachedTokensAreAtMostThePromptTokens() {
    assertThat(cached(64, 1, 64).cachedPromptTokens()).hasValue(64);
    assertThatThrownBy(() -> cached(64, 1, 65))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cachedPromptTokens (65) must not exceed promptTokens (64)");
  }

  @Test
  void plusAddsCachedTokensWhenEitherSideReportsThem() {
    TokenUsage unknown = TokenUsage.of(100, 10);

    assertThat(cached(100, 10, 40).plus(cached(200, 20, 60))).isEqualTo(cached(300, 30, 100));
    assertThat(cached(100, 10, 40).plus(unknown)).isEqualTo(cached(200, 20, 40));
    assertThat(unknown.plus(cached(100, 10, 40))).isEqualTo(cached(200, 20, 40));
    assertThat(unknown.plus(unknown)).isEqualTo(TokenUsage.of(200, 20));
    assertThat(unknown.plus(unknown).cachedPromptTokens()).isEmpty();
  }

  @Test
  void zeroIsTheIdentityOfPlus() {
    TokenUsage reported = cached(100, 10, 40);

    assertThat(TokenUsage.ZERO.plus(reported)).isEqualTo(reported);
    assertThat(reported.plus(TokenUsage.ZERO)).isEqualTo(reported);
    assertThat(TokenUsage.ZERO.plus(TokenUsage.of(3, 4))).isEqualTo(TokenUsage.of(3, 4));
    assertThat(TokenUsage.ZERO.cachedPromptTokens()).isEmpty();
  }

  @Test
  void plusFailsRatherThanOverflow() {
    TokenUsage huge = TokenUsage.of(Long.MAX_VALUE, 0);

    assertThatThrownBy(() -> huge.plus(TokenUsage.of(1, 0)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void equalValuesAreEqualAndToBuilderCopies() {
    TokenUsage usage = cached(100, 10, 40);

    assertThat(usage).isEqualTo(cached(100, 10, 40)).hasSameHashCodeAs(cached(100, 10, 40));
    assertThat(usage).isNotEqualTo(cached(100, 10, 41)).isNotEqualTo(cached(100, 11, 40));
    assertThat(usage.toBuilder().build()).isEqualTo(usage);
    assertThat(usage.toBuilder().cachedPromptTokens(OptionalLong.empty()).build())
        .isEqualTo(TokenUsage.of(100, 10));
    assertThat(usage.toBuilder().completionTokens(11).build()).isEqualTo(cached(100, 11, 40));
  }
}
