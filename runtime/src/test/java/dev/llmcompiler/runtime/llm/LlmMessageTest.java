package dev.llmcompiler.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LlmMessageTest {

  @Test
  void factoriesSetTheRole() {
    assertThat(LlmMessage.user("hi").role()).isEqualTo(LlmMessage.Role.USER);
    assertThat(LlmMessage.user("hi").content()).isEqualTo("hi");
    assertThat(LlmMessage.assistant("hello").role()).isEqualTo(LlmMessage.Role.ASSISTANT);
    assertThat(LlmMessage.assistant("hello").content()).isEqualTo("hello");
  }

  @Test
  void buildNamesTheMissingField() {
    assertThatThrownBy(() -> LlmMessage.builder().content("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`role` is required but was not set");
    assertThatThrownBy(() -> LlmMessage.builder().role(LlmMessage.Role.USER).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`content` is required but was not set");
    assertThatThrownBy(() -> LlmMessage.user(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalValuesAreEqualAndToBuilderCopies() {
    LlmMessage built = LlmMessage.builder().role(LlmMessage.Role.USER).content("q").build();

    assertThat(built).isEqualTo(LlmMessage.user("q")).hasSameHashCodeAs(LlmMessage.user("q"));
    assertThat(built).isNotEqualTo(LlmMessage.assistant("q")).isNotEqualTo(LlmMessage.user("r"));
    assertThat(built.toBuilder().role(LlmMessage.Role.ASSISTANT).build())
        .isEqualTo(LlmMessage.assistant("q"));
    assertThat(built.toString()).isEqualTo("LlmMessage[role=USER, content=q]");
  }
}
