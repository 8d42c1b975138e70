package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EncyclopediaTest {
  private final Encyclopedia encyclopedia = new Encyclopedia(Duration.ZERO);

  @Test
  void findsCompaniesWithTheirMarketCaps() {
    Article microsoft = encyclopedia.lookup("Microsoft market cap");
    assertThat(microsoft.found()).isTrue();
    assertThat(microsoft.title()).isEqualTo("Microsoft");
    assertThat(microsoft.value()).isEqualTo(3300.0);
    assertThat(microsoft.unit()).isEqualTo("market cap, billion USD");
    assertThat(encyclopedia.lookup("What is Apple's market capitalization?").value())
        .isEqualTo(3400.0);
    assertThat(encyclopedia.lookup("NVDA").title()).isEqualTo("Nvidia");
    assertThat(encyclopedia.lookup("google").title()).isEqualTo("Alphabet");
  }

  @Test
  void matchesByKeywordsIgnoringCasePunctuationAndPossessives() {
    assertThat(encyclopedia.lookup("arthurs magazine").title()).isEqualTo("Arthur's Magazine");
    assertThat(encyclopedia.lookup("Arthur's Magazine").value()).isEqualTo(1844.0);
    assertThat(encyclopedia.lookup("First for Women magazine").value()).isEqualTo(1989.0);
    assertThat(encyclopedia.lookup("depth of the TONGA trench").value()).isEqualTo(10882.0);
    assertThat(encyclopedia.lookup("Mariana Trench depth").title()).isEqualTo("Mariana Trench");
    assertThat(encyclopedia.lookup("Who directed Doctor Strange?").title())
        .isEqualTo("Doctor Strange (film)");
  }

  @Test
  void unknownSubjectsGetAClearNoEntryResultInsteadOfAnUnrelatedEntry() {
    Article miss = encyclopedia.lookup("Atlantis market cap");
    assertThat(miss.found()).isFalse();
    assertThat(miss.value()).isNull();
    assertThat(miss.summary())
        .startsWith("No entry matches 'Atlantis market cap'")
        .contains("Microsoft", "Mariana Trench");
    // Words every entry of a kind shares never pick one on their own.
    assertThat(encyclopedia.lookup("the first magazine").found()).isFalse();
  }

  @Test
  void searchesWaitTheirLatencyWithoutBlockingEachOther() throws Exception {
    Encyclopedia slow = new Encyclopedia(Duration.ofMillis(300));
    long start = System.nanoTime();
    List<CompletableFuture<Article>> searches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      searches.add(slow.search(i % 2 == 0 ? "Microsoft" : "Apple"));
    }
    for (int i = 0; i < searches.size(); i++) {
      assertThat(searches.get(i).get(10, TimeUnit.SECONDS).value())
          .isEqualTo(i % 2 == 0 ? 3300.0 : 3400.0);
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    // Each waits its 300 ms; one after another the twenty would take 6 s.
    assertThat(elapsedMs).isBetween(290L, 3_000L);
  }

  @Test
  void generatedToolSetCallsTheSearchWithJsonArguments() throws Exception {
    ObjectMapper json = new ObjectMapper();
    EncyclopediaTools tools = EncyclopediaTools.of(encyclopedia);
    assertThat(tools.tools()).extracting(t -> t.name()).containsExactly("search");
    ObjectNode args = json.createObjectNode().put("query", "Kermadec Trench");
    JsonNode result = tools.invoke("search", args).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(result.path("value").asDouble()).isEqualTo(10047.0);
    assertThat(result.path("found").asBoolean()).isTrue();
  }

  @Test
  void rejectsNegativeLatency() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Encyclopedia(Duration.ofMillis(-1)))
        .hasMessageContaining("must not be negative");
  }
}
