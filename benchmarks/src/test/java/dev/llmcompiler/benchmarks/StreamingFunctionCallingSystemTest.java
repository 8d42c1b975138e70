package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingFunctionCallingSystemTest {

  @Test
  void eachCallStartsAsSoonAsItsArgumentsAreCompleteWhileTheTurnStillStreams() throws Exception {
    // Slow decoding, instant tools: the first of Movie's eight calls is complete long before the
    // turn ends.
    LatencyModel model = new LatencyModel(50, 0, 20, 0, 1.0);
    Workload movie = Workload.movie();
    BenchTools tools = new BenchTools(new ToolLatency(1, 0, 1.0));
    try (SimulatedLlm llm = new SimulatedLlm(model, Tokens.cl100k(), 1, List.of(movie));
        StreamingFunctionCallingSystem system = new StreamingFunctionCallingSystem(llm, tools)) {
      Measurement m = system.run(movie, 0);

      assertThat(m.correct()).as(m.note()).isTrue();
      assertThat(m.llmCalls()).isEqualTo(2);
      List<Long> starts = tools.callStarts();
      assertThat(starts).hasSize(8);
      long turnEnd = llm.toolTurnEndNanos(0);
      assertThat(turnEnd).isPositive();
      // The first call ran while the turn still streamed: seven more calls (about 2 s of decoding)
      // were to come.
      assertThat(starts.get(0)).isLessThan(turnEnd);
      // The answer streamed: its first token came before the run ended.
      assertThat(m.firstAnswerMs()).isPositive().isLessThan(m.wallMs());
      assertThat(m.promptTokens()).isPositive();
      assertThat(m.completionTokens()).isPositive();
    }
  }
}
