package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayLlmTest {
  private static LlmRequest planner(String question) {
    return LlmRequest.builder()
        .purpose("planner")
        .system("planner prompt")
        .addMessage(LlmMessage.user("Question: " + question))
        .stop(List.of("<END_OF_PLAN>"))
        .build();
  }

  @Test
  void streamsTheRecordedPlanInSmallChunksUpToTheStopSequence() throws Exception {
    try (ReplayLlm replay = new ReplayLlm(new ReplayLlm.Pacing(0, 5, 1))) {
      List<String> deltas = new CopyOnWriteArrayList<>();
      LlmResponse response =
          replay.chat(planner(DemoQuestions.SEED), deltas::add).get(10, TimeUnit.SECONDS);
      String recorded = DemoQuestions.find(DemoQuestions.SEED).orElseThrow().plan();
      assertThat(response.text())
          .isEqualTo(recorded.substring(0, recorded.indexOf("<END_OF_PLAN>")));
      assertThat(String.join("", deltas)).isEqualTo(response.text());
      assertThat(deltas).hasSizeGreaterThan(20).allMatch(delta -> delta.length() <= 5);
      assertThat(response.usage().completionTokens()).isEqualTo((response.text().length() + 3) / 4);
      assertThat(response.usage().promptTokens()).isPositive();
    }
  }

  @Test
  void cancellingStopsTheStream() throws Exception {
    try (ReplayLlm replay = new ReplayLlm(new ReplayLlm.Pacing(0, 5, 20))) {
      List<String> deltas = new CopyOnWriteArrayList<>();
      CountDownLatch first = new CountDownLatch(1);
      CompletableFuture<LlmResponse> call =
          replay.chat(
              planner(DemoQuestions.SEED),
              delta -> {
                deltas.add(delta);
                first.countDown();
              });
      assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(call.cancel(true)).isTrue();
      int seen = deltas.size();
      // Another interval or more passes; a chunk already being delivered may still land, nothing
      // after it.
      CompletableFuture<Void> later = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS)
          .execute(() -> later.complete(null));
      later.get(10, TimeUnit.SECONDS);
      assertThat(deltas.size()).isLessThanOrEqualTo(seen + 1);
    }
  }

  @Test
  void unknownQuestionsFailWithTheListOfKnownOnes() {
    try (ReplayLlm replay = new ReplayLlm(ReplayLlm.Pacing.INSTANT)) {
      CompletableFuture<LlmResponse> call =
          replay.chat(planner("What is the capital of Peru?"), delta -> {});
      assertThat(call)
          .failsWithin(5, TimeUnit.SECONDS)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(LlmException.class)
          .withMessageContaining("no recording for \"What is the capital of Peru?\"")
          .withMessageContaining(DemoQuestions.SEED);
    }
  }

  @Test
  void reactTurnsFollowTheObservationsThenFinish() throws Exception {
    try (ReplayLlm replay = new ReplayLlm(ReplayLlm.Pacing.INSTANT)) {
      String question = "Which magazine was started first, Arthur's Magazine or First for Women?";
      LlmRequest.Builder request =
          LlmRequest.builder()
              .purpose("react")
              .addMessage(LlmMessage.user("Question: " + question));
      String first = replay.chat(request.build(), delta -> {}).get(5, TimeUnit.SECONDS).text();
      assertThat(first)
          .isEqualTo(
              "Thought: When was Arthur's Magazine started?\nAction: search(\"Arthur's Magazine\")");
      request
          .addMessage(LlmMessage.assistant(first))
          .addMessage(
              LlmMessage.user(
                  "Observation: {\"found\":true,\"title\":\"Arthur's Magazine\",\"value\":1844}"))
          .addMessage(LlmMessage.assistant("Action: search(\"First for Women magazine\")"))
          .addMessage(
              LlmMessage.user(
                  "Observation: {\"found\":true,\"title\":\"First for Women\",\"value\":1800}"));
      String last = replay.chat(request.build(), delta -> {}).get(5, TimeUnit.SECONDS).text();
      // Computed from the observations: here First for Women is the older one.
      assertThat(last)
          .endsWith(
              "Action: Finish(First for Women was started first: in 1800, 44 years before Arthur's"
                  + " Magazine (1844).)");
    }
  }
}
