package dev.llmcompiler.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LlmRequestTest {

  @Test
  void requestsWithEqualValuesAreEqual() {
    LlmRequest request = LlmRequest.builder().purpose("planner").system("s").addMessage(LlmMessage.user("q"))
        .stop(List.of("<END>")).temperature(0).maxTokens(50).build();

    assertThat(request.toBuilder().build()).isEqualTo(request).hasSameHashCodeAs(request);
    assertThat(request.toBuilder().addMessage(LlmMessage.assistant("a")).build()).isNotEqualTo(request);
    assertThat(request.toBuilder().temperature(1).build()).isNotEqualTo(request);
  }
}
