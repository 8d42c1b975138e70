package dev.llmcompiler.samples;

import static dev.llmcompiler.samples.Numbers.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.samples.DemoQuestion.ReactStep;
import java.util.List;
import java.util.Optional;

/** The questions the offline demo model can answer, with their recorded plans and ReAct steps. */
final class DemoQuestions {
  /** The paper's running example, answered when the demo is started without a question. */
  static final String SEED =
      "How much does Microsoft's market cap need to increase to exceed Apple's market cap?";

  /** The question whose plan pays: run it with {@code --approve} to be asked first. */
  static final String PAYMENT = "Pay Hotel du Louvre 250 US dollars in euros.";

  static final List<DemoQuestion> ALL =
      List.of(seed(), magazines(), trenches(), euros(), payment());

  private DemoQuestions() {}

  /** The recording for {@code question}, compared without case and punctuation. */
  static Optional<DemoQuestion> find(String question) {
    String wanted = DemoQuestion.normalize(question);
    return ALL.stream()
        .filter(q -> DemoQuestion.normalize(q.question()).equals(wanted))
        .findFirst();
  }

  private static DemoQuestion seed() {
    String plan =
        String.join(
            "\n",
            "Thought: The two market caps are independent, so look them up in parallel.",
            "1. search(\"Microsoft market cap\")",
            "2. search(\"Apple market cap\")",
            "Thought: The gap, in billions and relative to Microsoft's value.",
            "3. math(\"${2.value} - ${1.value}\")",
            "4. math(\"(${2.value} - ${1.value}) / ${1.value} * 100\")",
            "5. join()",
            "<END_OF_PLAN>");
    List<ReactStep> react =
        List.of(
            new ReactStep(
                "I need Microsoft's market cap.", r -> "search(\"Microsoft market cap\")"),
            new ReactStep("Now Apple's market cap.", r -> "search(\"Apple market cap\")"),
            new ReactStep(
                "The gap is Apple's value minus Microsoft's.",
                r -> "math(\"" + plain(r.value(2)) + " - " + plain(r.value(1)) + "\")"),
            new ReactStep(
                "And the gap as a percentage of Microsoft's value.",
                r ->
                    "math(\"("
                        + plain(r.value(2))
                        + " - "
                        + plain(r.value(1))
                        + ") / "
                        + plain(r.value(1))
                        + " * 100\")"));
    return new DemoQuestion(
        SEED,
        plan,
        react,
        "Apple's market cap is larger; the results give the gap.",
        r ->
            "Microsoft's market cap ("
                + format(r.value(1))
                + " billion USD) would need to increase by more than "
                + format(r.number(3))
                + " billion USD, about "
                + format(r.number(4))
                + "%, to exceed Apple's ("
                + format(r.value(2))
                + " billion USD).");
  }

  private static DemoQuestion magazines() {
    String plan =
        String.join(
            "\n",
            "Thought: Look up when each magazine was started; the lookups are independent.",
            "1. search(\"Arthur's Magazine\")",
            "2. search(\"First for Women magazine\")",
            "3. join()",
            "<END_OF_PLAN>");
    List<ReactStep> react =
        List.of(
            new ReactStep(
                "When was Arthur's Magazine started?", r -> "search(\"Arthur's Magazine\")"),
            new ReactStep(
                "When was First for Women started?", r -> "search(\"First for Women magazine\")"));
    return new DemoQuestion(
        "Which magazine was started first, Arthur's Magazine or First for Women?",
        plan,
        react,
        "Compare the two years of first publication.",
        r -> {
          int earlier = r.value(1) <= r.value(2) ? 1 : 2;
          int later = 3 - earlier;
          return r.title(earlier)
              + " was started first: in "
              + Numbers.year(r.value(earlier))
              + ", "
              + format(r.value(later) - r.value(earlier))
              + " years before "
              + r.title(later)
              + " ("
              + Numbers.year(r.value(later))
              + ").";
        });
  }

  private static DemoQuestion trenches() {
    String plan =
        String.join(
            "\n",
            "Thought: Three independent depth lookups, then one sum.",
            "1. search(\"Mariana Trench depth\")",
            "2. search(\"Tonga Trench depth\")",
            "3. search(\"Kermadec Trench depth\")",
            "4. math(\"(${1.value} + ${2.value} + ${3.value}) / 1000\")",
            "5. join()",
            "<END_OF_PLAN>");
    List<ReactStep> react =
        List.of(
            new ReactStep(
                "I need the depth of the Mariana Trench.", r -> "search(\"Mariana Trench depth\")"),
            new ReactStep("Next, the Tonga Trench.", r -> "search(\"Tonga Trench depth\")"),
            new ReactStep("Next, the Kermadec Trench.", r -> "search(\"Kermadec Trench depth\")"),
            new ReactStep(
                "Add the three depths and convert metres to kilometres.",
                r ->
                    "math(\"("
                        + plain(r.value(1))
                        + " + "
                        + plain(r.value(2))
                        + " + "
                        + plain(r.value(3))
                        + ") / 1000\")"));
    return new DemoQuestion(
        "What is the combined depth of the Mariana, Tonga and Kermadec trenches in kilometres?",
        plan,
        react,
        "The sum of the three depths is in the results.",
        r ->
            "Together they are "
                + format(r.number(4))
                + " km deep: the "
                + r.title(1)
                + " "
                + format(r.value(1))
                + " m, the "
                + r.title(2)
                + " "
                + format(r.value(2))
                + " m and the "
                + r.title(3)
                + " "
                + format(r.value(3))
                + " m.");
  }

  private static DemoQuestion euros() {
    String plan =
        String.join(
            "\n",
            "1. search(\"Nvidia market cap\")",
            "2. search(\"Apple market cap\")",
            "Thought: Convert both values (billions) from US dollars to euros.",
            "3. convert({\"amount\": $1.value, \"currency\": \"USD\"}, \"EUR\")",
            "4. convert({\"amount\": $2.value, \"currency\": \"USD\"}, \"EUR\")",
            "5. math(\"${4.amount} - ${3.amount}\")",
            "6. join()",
            "<END_OF_PLAN>");
    List<ReactStep> react =
        List.of(
            new ReactStep("I need Nvidia's market cap.", r -> "search(\"Nvidia market cap\")"),
            new ReactStep("Now Apple's market cap.", r -> "search(\"Apple market cap\")"),
            new ReactStep(
                "Convert Nvidia's value to euros.",
                r ->
                    "convert({\"amount\": "
                        + plain(r.value(1))
                        + ", \"currency\": \"USD\"}, \"EUR\")"),
            new ReactStep(
                "Convert Apple's value to euros.",
                r ->
                    "convert({\"amount\": "
                        + plain(r.value(2))
                        + ", \"currency\": \"USD\"}, \"EUR\")"),
            new ReactStep(
                "The difference in euros.",
                r ->
                    "math(\""
                        + plain(r.number(4, "amount"))
                        + " - "
                        + plain(r.number(3, "amount"))
                        + "\")"));
    return new DemoQuestion(
        "What are Nvidia's and Apple's market caps in euros, and how far apart are they?",
        plan,
        react,
        "Both values are converted; the difference is in the results.",
        r ->
            "Nvidia's market cap is about "
                + format(r.number(3, "amount"))
                + " billion EUR ("
                + format(r.value(1))
                + " billion USD) and Apple's about "
                + format(r.number(4, "amount"))
                + " billion EUR ("
                + format(r.value(2))
                + " billion USD): they are "
                + format(r.number(5))
                + " billion EUR apart.");
  }

  private static DemoQuestion payment() {
    String plan =
        String.join(
            "\n",
            "Thought: The hotel is paid in euros, so convert first; the payment needs the converted amount.",
            "1. convert({\"amount\": 250, \"currency\": \"USD\"}, \"EUR\")",
            "2. pay($1, \"Hotel du Louvre\")",
            "3. join()",
            "<END_OF_PLAN>");
    List<ReactStep> react =
        List.of(
            new ReactStep(
                "Convert 250 US dollars to euros.",
                r -> "convert({\"amount\": 250, \"currency\": \"USD\"}, \"EUR\")"),
            new ReactStep(
                "Pay the hotel the converted amount.",
                r ->
                    "pay({\"amount\": "
                        + plain(r.number(1, "amount"))
                        + ", \"currency\": \"EUR\"}, \"Hotel du Louvre\")"));
    return new DemoQuestion(
        PAYMENT,
        plan,
        react,
        "The receipt says what was paid.",
        r -> {
          try {
            JsonNode receipt = r.result(2);
            return "Paid "
                + format(receipt.path("paid").path("amount").asDouble())
                + " "
                + receipt.path("paid").path("currency").asText()
                + " (250 USD) to "
                + receipt.path("payee").asText()
                + "; receipt "
                + receipt.path("id").asText()
                + ".";
          } catch (ToolResults.Missing e) {
            return "Nothing was paid: " + e.getMessage() + ".";
          }
        });
  }

  /** A number as a model would copy it into an expression: no grouping, no needless decimals. */
  private static String plain(double number) {
    return java.math.BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
  }
}
