package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmcompiler.runtime.llm.LlmException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Credentials are masked in provider text, in linear time, and the text around them stays readable.
 */
class SecretsTest {
  private static final String CANARY = "sk-SECRET-CANARY-123";
  private static final int MB = 1 << 20;

  private static String printed(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void keyShapedStringsAreMaskedKeepingTheirPrefix() {
    assertThat(Secrets.mask("Incorrect API key provided: " + CANARY + "."))
        .isEqualTo("Incorrect API key provided: sk-***.");
    assertThat(Secrets.mask("key sk-proj-AbC123_xyz-0987654321 rejected"))
        .isEqualTo("key sk-*** rejected");
    assertThat(Secrets.mask("stripe sk_live_51HxYzAbCdEfGh and groq gsk_abcdefghijklmnop"))
        .isEqualTo("stripe sk_*** and groq gsk_***");
    assertThat(Secrets.mask("Authorization: Bearer abc.DEF-123_456~+/="))
        .isEqualTo("Authorization: Bearer ***");
    assertThat(Secrets.mask("{\"api_key\": \"0123456789abcdef\", \"password\":\"hunter2hunter2\"}"))
        .isEqualTo("{\"api_key\": \"***\", \"password\":\"***\"}");
    assertThat(Secrets.mask("url https://user:s3cretpass@example.com/v1"))
        .isEqualTo("url https://***@example.com/v1");
    assertThat(Secrets.mask("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature"))
        .isEqualTo("token eyJ***");
    assertThat(Secrets.mask("AWS AKIAIOSFODNN7EXAMPLE and Google AIzaSyA-1234567890abcdefghij"))
        .isEqualTo("AWS AKIA*** and Google AIza***");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    for (String text :
        List.of(
            "The model `gpt-4o-mini` does not exist or you lack access.",
            "Rate limit reached for requests; max_tokens=4096 and tokens: 12000",
            "task-1234567890 failed; ask-me-anything mode; sk-short",
            "see https://platform.openai.com/account/api-keys for your key",
            "a Bearer of good news")) {
      assertThat(Secrets.mask(text)).isSameAs(text);
    }
    assertThat(Secrets.mask((String) null)).isNull();
  }

  @Test
  void theConfiguredSecretIsMaskedWhateverItsShapeButNotWhenTooShortToBeOne() {
    assertThat(
            Secrets.mask(
                "upstream rejected local-7f3a9c-passphrase twice: local-7f3a9c-passphrase",
                List.of("local-7f3a9c-passphrase")))
        .isEqualTo("upstream rejected *** twice: ***");
    assertThat(Secrets.mask("the key abc is short", List.of("abc")))
        .isEqualTo("the key abc is short");
  }

  @Test
  void anExceptionChainIsCopiedWithMaskedMessagesOnlyWhenItHoldsASecret() {
    IOException root =
        new IOException(
            "401: {\"error\":{\"message\":\"Incorrect API key provided: " + CANARY + "\"}}");
    root.addSuppressed(new IllegalStateException("also " + CANARY));
    LlmException error =
        new LlmException(
            LlmException.Kind.AUTHENTICATION,
            401,
            "HTTP 401: rejected",
            new UncheckedIOException("wrapped", root));

    LlmException masked = Secrets.mask(error, List.of());

    assertThat(masked).isNotSameAs(error);
    assertThat(masked.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
    assertThat(masked.statusCode()).hasValue(401);
    assertThat(masked.getMessage()).isEqualTo("HTTP 401: rejected");
    assertThat(masked.getStackTrace()).isEqualTo(error.getStackTrace());
    String printed = printed(masked);
    assertThat(printed)
        .doesNotContain(CANARY)
        .contains("java.io.IOException: 401: {\"error\"")
        .contains("Incorrect API key provided: sk-***")
        .contains("java.lang.IllegalStateException: also sk-***");
    assertThat(printed(error)).contains(CANARY);

    LlmException clean =
        new LlmException(LlmException.Kind.OTHER, "nothing secret", new IOException("reset"));
    assertThat(Secrets.mask(clean, List.of())).isSameAs(clean);
  }

  @Test
  void adversarialMegabytesAreMaskedInLinearTime() {
    List<String> inputs =
        List.of(
            "sk-abcdefghi ".repeat(MB / 13),
            "sk-" + "a".repeat(MB),
            "bearer ".repeat(MB / 7),
            "Bearer" + " ".repeat(MB) + "x",
            "://".repeat(MB / 3),
            "://" + "a".repeat(MB),
            "api_key ".repeat(MB / 8),
            "password" + " ".repeat(MB) + "=x",
            "api_key=" + "x".repeat(MB),
            "eyJ" + ".".repeat(MB));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (String input : inputs) {
            String masked = Secrets.mask(input, List.of("sk-abcdefghijk", "a".repeat(40)));
            assertThat(masked.length()).isLessThanOrEqualTo(input.length());
          }
        });
  }

  @Test
  void fuzzedTextNeverKeepsAPlantedKeyAndMaskingTwiceChangesNothing() {
    String[] fragments = {
      "sk-",
      "sk",
      "-",
      "_",
      "proj",
      "Bearer ",
      "bearer",
      " ",
      "\n",
      ":",
      "=",
      "\"",
      "'",
      "api_key",
      "password",
      "://",
      "@",
      "/",
      "eyJ",
      ".",
      "x",
      "AB12",
      "token",
      "AKIA",
      "abcdefgh"
    };
    Random random = new Random(0x5EC2E7L);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 0; i < 3000; i++) {
            StringBuilder before = new StringBuilder();
            StringBuilder after = new StringBuilder();
            for (int j = random.nextInt(60); j > 0; j--) {
              before.append(fragments[random.nextInt(fragments.length)]);
            }
            for (int j = random.nextInt(60); j > 0; j--) {
              after.append(fragments[random.nextInt(fragments.length)]);
            }
            String text = before + " " + CANARY + " " + after;
            String masked = Secrets.mask(text);
            assertThat(masked).as("masked %s", text).doesNotContain("SECRET-CANARY");
            assertThat(Secrets.mask(masked)).as("masked twice %s", text).isEqualTo(masked);
            String configured = before + "my-configured-key-42" + after;
            assertThat(Secrets.mask(configured, List.of("my-configured-key-42")))
                .doesNotContain("my-configured-key-42");
          }
        });
  }
}
