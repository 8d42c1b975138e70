package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.llm.LlmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamedTextTest {

  @Test
  void deliversTextUpToAStopSequenceSplitAcrossDeltas() {
    List<String> seen = new ArrayList<>();
    StreamedText text = new StreamedText(List.of("<END_OF_PLAN>"), seen::add);

    assertThat(text.accept("1. search(\"a\")\n2. join()<END_")).isNull();
    assertThat(text.accept("OF_PLAN> and more")).isNull();
    assertThat(text.accept(null)).isNull();
    assertThat(text.finish()).isNull();

    assertThat(String.join("", seen)).isEqualTo("1. search(\"a\")\n2. join()");
    assertThat(text.text()).isEqualTo("1. search(\"a\")\n2. join()");
    assertThat(text.length()).isEqualTo(text.text().length());
  }

  @Test
  void heldBackTextThatWasNoStopSequenceArrivesAtTheEnd() {
    List<String> seen = new ArrayList<>();
    StreamedText text = new StreamedText(List.of("<END_OF_PLAN>"), seen::add);

    text.accept("a <END");
    assertThat(seen).containsExactly("a ");
    text.finish();
    assertThat(seen).containsExactly("a ", "<END");
  }

  @Test
  void aListenerThatThrowsFailsTheCallOnceAndGetsNothingMore() {
    List<String> seen = new ArrayList<>();
    StreamedText text =
        new StreamedText(
            List.of(),
            delta -> {
              seen.add(delta);
              if (delta.equals("two")) {
                throw new IllegalStateException("full");
              }
            });

    assertThat(text.accept("one")).isNull();
    LlmException failure = text.accept("two");
    assertThat(text.accept("three")).isNull();
    assertThat(text.finish()).isNull();

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.OTHER);
    assertThat(failure)
        .hasMessage(
            "The stream listener threw java.lang.IllegalStateException: full after 6 characters;"
                + " the call was aborted.")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(seen).containsExactly("one", "two");
    assertThat(text.text()).isEqualTo("onetwo");
  }
}
