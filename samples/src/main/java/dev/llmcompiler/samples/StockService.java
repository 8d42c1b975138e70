package dev.llmcompiler.samples;

import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import java.util.Locale;

/** The README's example, kept here so it is compiled and run by the build: an annotated service asked through OpenAI. */
public class StockService {
  /** The market cap of a listed company, in billion US dollars. */
  @Tool
  public double marketCap(String company) {
    return switch (company.strip().toLowerCase(Locale.ROOT)) {
      case "apple" -> 3400;
      case "microsoft" -> 3300;
      default -> throw new IllegalArgumentException("No data for " + company + "; try Apple or Microsoft.");
    };
  }

  /** Asks the model in OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL. */
  public static void main(String[] args) {
    try (OpenAiLlm llm = OpenAiLlm.fromEnv(); // OPENAI_API_KEY, or OPENAI_BASE_URL for a local server
        LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(StockServiceTools.of(new StockService())).build()) {
      System.out.println(compiler.run("How much bigger is Apple's market cap than Microsoft's?").answer());
    }
  }
}
