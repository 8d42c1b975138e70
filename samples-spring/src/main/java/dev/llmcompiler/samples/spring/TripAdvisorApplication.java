package dev.llmcompiler.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with LLMCompiler: {@link TravelService}'s {@code @Tool} methods are the
 * tools, {@link TravelAgent} is injected into {@link AskRunner}, which answers the question given
 * on the command line.
 *
 * <pre>{@code
 * OPENAI_API_KEY=sk-... java -jar app.jar "Is it warmer in Paris or in Rome tomorrow?"
 * # or any OpenAI-compatible server:
 * java -jar app.jar --llmcompiler.openai.base-url=http://localhost:11434/v1 \
 *     --llmcompiler.openai.model=qwen2.5:7b-instruct "Is it warmer in Paris or in Rome tomorrow?"
 * }</pre>
 */
@SpringBootApplication
public class TripAdvisorApplication {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(TripAdvisorApplication.class, args);
  }
}
