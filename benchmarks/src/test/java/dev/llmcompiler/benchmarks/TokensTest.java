package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

  @Test
  void countsRealBpeTokensNotCharacters() {
    Tokens cl100k = Tokens.cl100k();
    assertThat(cl100k.name()).isEqualTo("cl100k_base");
    assertThat(cl100k.count("hello world")).isEqualTo(2);
    assertThat(cl100k.count("")).isZero();
    // 40 characters of one repeated word are far fewer than 40 / 4 = 10 tokens' worth of distinct
    // text.
    String plan = "1. search(\"length of the Danube river\")\n";
    assertThat(cl100k.count(plan)).isBetween(8, 14).isNotEqualTo(plan.length() / 4);
  }

  @Test
  void o200kIsADifferentTokenizer() {
    Tokens o200k = Tokens.named("o200k");
    assertThat(o200k.name()).isEqualTo("o200k_base");
    String text = "Überraschung! 東京の天気は？ Let's count these tokens, shall we?";
    assertThat(o200k.count(text)).isNotEqualTo(Tokens.cl100k().count(text));
  }

  @Test
  void splitGivesOnePiecePerTokenThatJoinBackToTheText() {
    Tokens cl100k = Tokens.cl100k();
    String text = "Thought: both lengths are known.\nAction: Finish(The Danube is longer.)";
    List<String> pieces = cl100k.split(text);
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces).hasSize(cl100k.count(text));
  }

  @Test
  void splitKeepsMultiByteCharactersWhole() {
    String text = "東京の天気は？ 🌧️ rain";
    List<String> pieces = Tokens.cl100k().split(text);
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces).allSatisfy(piece -> assertThat(piece).doesNotContain("\uFFFD"));
  }

  @Test
  void unknownTokenizerSaysWhichExist() {
    assertThatThrownBy(() -> Tokens.named("p50k")).hasMessageContaining("use cl100k or o200k");
  }
}
