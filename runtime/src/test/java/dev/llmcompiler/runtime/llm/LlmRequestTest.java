package dev.llmcompiler.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmRequestTest {

  @Test
  void requestsWithEqualValuesAreEqual() {
    LlmRequest request =
        LlmRequest.builder()
            .purpose("planner")
            .system("s")
            .addMessage(LlmMessage.user("q"))
            .stop(List.of("<END>"))
            .temperature(0)
            .maxTokens(50)
            .build();

    assertThat(request.toBuilder().build()).isEqualTo(request).hasSameHashCodeAs(request);
    assertThat(request.toBuilder().addMessage(LlmMessage.assistant("a")).build())
        .isNotEqualTo(request);
    assertThat(request.toBuilder().temperature(1).build()).isNotEqualTo(request);
  }

  @Test
  void aResponseSchemaIsPartOfTheRequestAndCopied() {
    ObjectNode schema = Json.object().put("type", "object");
    LlmRequest request =
        LlmRequest.builder()
            .addMessage(LlmMessage.user("q"))
            .responseSchema("plan", schema)
            .build();
    schema.put("changed", true);

    assertThat(request.responseSchema().orElseThrow().name()).isEqualTo("plan");
    assertThat(request.responseSchema().orElseThrow().schema())
        .isEqualTo(Json.object().put("type", "object"));
    assertThat(request.toBuilder().build()).isEqualTo(request).hasSameHashCodeAs(request);
    assertThat(request.toBuilder().responseSchema(null).build()).isNotEqualTo(request);
    assertThat(request.toBuilder().responseSchema("other", Json.object()).build())
        .isNotEqualTo(request);
    assertThat(request.toString()).contains("responseSchema=plan");
    assertThat(LlmRequest.builder().addMessage(LlmMessage.user("q")).build().responseSchema())
        .isEmpty();
  }

  @Test
  void aResponseSchemaNeedsANameProvidersAcceptAndAnObject() {
    assertThatThrownBy(() -> LlmRequest.ResponseSchema.of("a plan", Json.object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was 'a plan'");
    assertThatThrownBy(() -> LlmRequest.ResponseSchema.of("plan", Json.NODES.textNode("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a JSON object");
  }
}
