package dev.llmcompiler.samples;

// README.md's first example, word for word (docs-tests' SnippetsTest keeps the two identical).
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import java.util.Locale;

/** A service with one tool, asked a question through OpenAI or any OpenAI-compatible server. */
public class StockService {
  /**
   * The market cap of a listed company, in billion US dollars.
   *
   * @param company the company's name, e.g. Apple
   */
  @Tool(effect = Effect.READ_ONLY)
  public double marketCap(String company) {
    return switch (company.strip().toLowerCase(Locale.ROOT)) {
      case "apple" -> 3400;
      case "microsoft" -> 3300;
      default ->
          throw new IllegalArgumentException(
              "No data for " + company + "; try Apple or Microsoft.");
    };
  }

  /** Asks the model that the OPENAI_* environment variables name. */
  public static void main(String[] args) {
    try (OpenAiLlm llm =
            OpenAiLlm.fromEnv(); // OPENAI_API_KEY, or OPENAI_BASE_URL for a local server
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(StockServiceTools.of(new StockService()))
                .build()) {
      System.out.println(
          compiler.run("How much bigger is Apple's market cap than Microsoft's?").answer());
    }
  }
}
