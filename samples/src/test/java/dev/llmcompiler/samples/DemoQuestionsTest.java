package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.ReActAgent;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.ToolApproval;
import dev.llmcompiler.runtime.ToolApprover;
import dev.llmcompiler.runtime.ToolSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The offline replay answers every demo question with the numbers the tools really return: the
 * expected answers here are computed from the encyclopedia, the calculator and the rate table
 * directly, not copied from the recordings.
 */
class DemoQuestionsTest {
  private static final Encyclopedia ENCYCLOPEDIA = new Encyclopedia(Duration.ZERO);
  private static final ReplayLlm REPLAY = new ReplayLlm(ReplayLlm.Pacing.INSTANT);

  @AfterAll
  static void closeReplay() {
    REPLAY.close();
  }

  private static List<ToolSet> tools() {
    return List.of(
        EncyclopediaTools.of(ENCYCLOPEDIA),
        CalculatorTools.of(new Calculator()),
        CurrencyConverterTools.of(new CurrencyConverter()),
        PaymentsTools.of(new Payments()));
  }

  private static double value(String query) {
    return ENCYCLOPEDIA.lookup(query).value();
  }

  private static RunResult compile(String question) {
    try (LlmCompiler compiler = LlmCompiler.builder().llm(REPLAY).tools(tools()).build()) {
      RunResult result = compiler.run(question);
      assertThat(result.trace().tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
      return result;
    }
  }

  private static RunResult react(String question) {
    try (ReActAgent agent = ReActAgent.builder().llm(REPLAY).tools(tools()).build()) {
      RunResult result = agent.run(question);
      assertThat(result.trace().tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
      return result;
    }
  }

  @Test
  void seedQuestionGapAndPercentageMatchTheEncyclopedia() {
    double microsoft = value("Microsoft");
    double apple = value("Apple");
    String gap = Numbers.format(apple - microsoft);
    String percent = Numbers.format((apple - microsoft) / microsoft * 100);
    assertThat(gap).isEqualTo("100");
    assertThat(percent).isEqualTo("3.03");
    String expected =
        "Microsoft's market cap ("
            + Numbers.format(microsoft)
            + " billion USD) would need to increase by"
            + " more than "
            + gap
            + " billion USD, about "
            + percent
            + "%, to exceed Apple's ("
            + Numbers.format(apple)
            + " billion USD).";
    RunResult result = compile(DemoQuestions.SEED);
    assertThat(result.answer()).isEqualTo(expected);
    assertThat(result.trace().tasks())
        .extracting(TaskTrace::tool)
        .containsExactly("search", "search", "math", "math");
    assertThat(result.trace().tasks().get(2).dependsOn()).containsExactly(1, 2);
    assertThat(react(DemoQuestions.SEED).answer()).isEqualTo(expected);
  }

  @Test
  void magazineComparisonUsesTheYearsFound() {
    String question = "Which magazine was started first, Arthur's Magazine or First for Women?";
    String expected =
        "Arthur's Magazine was started first: in 1844, 145 years before First for Women (1989).";
    assertThat(value("Arthur's Magazine")).isEqualTo(1844.0);
    assertThat(value("First for Women")).isEqualTo(1989.0);
    assertThat(compile(question).answer()).isEqualTo(expected);
    assertThat(react(question).answer()).isEqualTo(expected);
  }

  @Test
  void trenchDepthsAddUp() {
    String question =
        "What is the combined depth of the Mariana, Tonga and Kermadec trenches in kilometres?";
    double km = (value("Mariana Trench") + value("Tonga Trench") + value("Kermadec Trench")) / 1000;
    RunResult result = compile(question);
    assertThat(result.answer())
        .startsWith("Together they are " + Numbers.format(km) + " km deep")
        .contains("Mariana Trench 10,994 m");
    assertThat(result.trace().tasks().get(3).dependsOn()).containsExactly(1, 2, 3);
    assertThat(react(question).answer()).isEqualTo(result.answer());
  }

  @Test
  void euroConversionPassesRecordsAndReadsTheirAmount() {
    String question =
        "What are Nvidia's and Apple's market caps in euros, and how far apart are they?";
    CurrencyConverter converter = new CurrencyConverter();
    double nvidia = converter.convert(new Money(value("Nvidia"), "USD"), "EUR").amount();
    double apple = converter.convert(new Money(value("Apple"), "USD"), "EUR").amount();
    RunResult result = compile(question);
    assertThat(result.answer())
        .isEqualTo(
            "Nvidia's market cap is about "
                + Numbers.format(nvidia)
                + " billion EUR (3,150"
                + " billion USD) and Apple's about "
                + Numbers.format(apple)
                + " billion EUR (3,400 billion USD): they are "
                + Numbers.format(apple - nvidia)
                + " billion EUR apart.");
    TaskTrace convert = result.trace().tasks().get(2);
    assertThat(convert.tool()).isEqualTo("convert");
    assertThat(convert.args().path("amount").path("amount").asDouble()).isEqualTo(value("Nvidia"));
    assertThat(result.trace().tasks().get(4).args().path("expression").asText())
        .isEqualTo(apple + " - " + nvidia);
    assertThat(react(question).answer()).isEqualTo(result.answer());
  }

  @Test
  void thePaymentIsConvertedThenBookedOnce() {
    String expected = "Paid 230 EUR (250 USD) to Hotel du Louvre; receipt P-0001.";
    RunResult result = compile(DemoQuestions.PAYMENT);
    assertThat(result.answer()).isEqualTo(expected);
    assertThat(result.trace().tasks())
        .extracting(TaskTrace::tool)
        .containsExactly("convert", "pay");
    assertThat(result.trace().tasks().get(1).dependsOn()).containsExactly(1);
    assertThat(react(DemoQuestions.PAYMENT).answer()).isEqualTo(expected);
  }

  @Test
  void aDeniedPaymentIsNeverBookedAndTheAnswerSaysSo() {
    Payments payments = new Payments();
    List<ToolSet> tools =
        List.of(CurrencyConverterTools.of(new CurrencyConverter()), PaymentsTools.of(payments));
    List<ToolApprover.Request> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (LlmCompiler compiler =
        LlmCompiler.builder()
            .llm(REPLAY)
            .tools(tools)
            .approver(
                request -> {
                  asked.add(request);
                  return ToolApproval.deny("declined at the console");
                })
            .build()) {
      RunResult result = compiler.run(DemoQuestions.PAYMENT);
      assertThat(payments.payments()).isEmpty();
      assertThat(asked).extracting(request -> request.tool().name()).containsExactly("pay");
      assertThat(result.answer())
          .isEqualTo(
              "Nothing was paid: task 2 failed: denied by the approver: declined at the"
                  + " console.");
    }
  }

  @Test
  void joinerAnswersFromTheResultsInItsPromptNotFromTheRecording() {
    String prompt =
        "Question: "
            + DemoQuestions.SEED
            + "\n\nResults:\n"
            + "1. search(query=\"Microsoft market cap\") -> {\"found\":true,\"title\":\"Microsoft\",\"value\":1000}\n"
            + "2. search(query=\"Apple market cap\") -> {\"found\":true,\"title\":\"Apple\",\"value\":1500}\n"
            + "3. math(expression=\"1500 - 1000\") -> 500\n"
            + "4. math(expression=\"(1500 - 1000) / 1000 * 100\") -> 50\n";
    ToolResults results = ReplayLlm.observations(prompt);
    assertThat(DemoQuestions.find(DemoQuestions.SEED).orElseThrow().answer().apply(results))
        .contains(
            "(1,000 billion USD)",
            "more than 500 billion USD",
            "about 50%",
            "Apple's (1,500 billion USD)");
  }

  @Test
  void aFailedTaskMakesTheReplaySayWhatIsMissing() {
    String prompt =
        "Question: "
            + DemoQuestions.SEED
            + "\n\nResults:\n"
            + "1. search(query=\"Microsoft market cap\") -> error: Tool 'search' timed out\n";
    ToolResults results = ReplayLlm.observations(prompt);
    assertThat(results.size()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DemoQuestions.find(DemoQuestions.SEED).orElseThrow().answer().apply(results))
        .isInstanceOf(ToolResults.Missing.class)
        .hasMessage("task 1 failed: Tool 'search' timed out");
  }

  @Test
  void questionsMatchWithoutCaseOrPunctuation() {
    assertThat(
            DemoQuestions.find(
                "how much does microsoft's market cap need to increase to exceed apple's market cap"))
        .isPresent();
    assertThat(DemoQuestions.find("What is the capital of Peru?")).isEmpty();
  }
}
