package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.llm.LlmException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

  @Test
  void anHttpStatusMeansTheSameKindForEveryClient() {
    assertThat(ProviderErrors.kindOf(401)).isEqualTo(Kind.AUTHENTICATION);
    assertThat(ProviderErrors.kindOf(403)).isEqualTo(Kind.AUTHENTICATION);
    assertThat(ProviderErrors.kindOf(429)).isEqualTo(Kind.RATE_LIMITED);
    assertThat(ProviderErrors.kindOf(400)).isEqualTo(Kind.BAD_REQUEST);
    assertThat(ProviderErrors.kindOf(404)).isEqualTo(Kind.BAD_REQUEST);
    assertThat(ProviderErrors.kindOf(422)).isEqualTo(Kind.BAD_REQUEST);
    assertThat(ProviderErrors.kindOf(408)).isEqualTo(Kind.TIMEOUT);
    assertThat(ProviderErrors.kindOf(500)).isEqualTo(Kind.UNAVAILABLE);
    assertThat(ProviderErrors.kindOf(503)).isEqualTo(Kind.UNAVAILABLE);
    assertThat(ProviderErrors.kindOf(418)).isEqualTo(Kind.OTHER);
  }

  @Test
  void theRootCauseIsNamedWithItsMessageIfItHasOne() {
    Throwable chain =
        new IllegalStateException("outer", new UncheckedIOException(new IOException("reset")));
    assertThat(ProviderErrors.rootMessage(chain)).isEqualTo("IOException: reset");
    assertThat(ProviderErrors.rootMessage(new RuntimeException(new IOException(" "))))
        .isEqualTo("IOException");
  }

  @Test
  void anUnreachableServerIsToldApartFromOtherFailures() {
    assertThat(
            ProviderErrors.isConnectFailure(
                new RuntimeException(new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(ProviderErrors.isConnectFailure(new UnresolvedAddressException())).isTrue();
    assertThat(ProviderErrors.isConnectFailure(new IOException("stream reset"))).isFalse();
  }

  @Test
  void aFailureWithoutStatusIsNamedByWhatHappenedAndWhen() {
    String prefix = "The model M failed: ";
    IOException reset = new IOException("connection reset");

    assertThat(ProviderErrors.transportFailure(prefix, reset, 0, true, false))
        .hasMessage(
            "The model M failed: timed out before any text arrived: IOException: connection reset."
                + " Raise the model's timeout if this is expected.")
        .extracting(e -> e.kind())
        .isEqualTo(Kind.TIMEOUT);
    assertThat(ProviderErrors.transportFailure(prefix, reset, 0, false, true).kind())
        .isEqualTo(Kind.UNAVAILABLE);
    // Once text has arrived, the server was reached: the stream broke.
    assertThat(ProviderErrors.transportFailure(prefix, reset, 12, false, true))
        .hasMessageContaining("the response stream broke after 12 characters")
        .extracting(e -> e.kind())
        .isEqualTo(Kind.STREAM_BROKEN);
    assertThat(ProviderErrors.transportFailure(prefix, reset, 0, false, false))
        .hasMessageContaining("the request failed before a response arrived")
        .extracting(e -> e.kind())
        .isEqualTo(Kind.UNAVAILABLE);
    assertThat(
            ProviderErrors.transportFailure(
                prefix, new IllegalStateException("odd"), 0, false, false))
        .hasMessage("The model M failed: the call failed: IllegalStateException: odd")
        .extracting(e -> e.kind())
        .isEqualTo(Kind.OTHER);
  }

  @Test
  void socketAndHttpClientTimeoutsAreTimeouts() {
    assertThat(
            ProviderErrors.isTimeout(
                new RuntimeException(new java.net.SocketTimeoutException("read timed out"))))
        .isTrue();
    assertThat(ProviderErrors.isTimeout(new java.net.http.HttpTimeoutException("slow"))).isTrue();
    assertThat(ProviderErrors.isTimeout(new IOException("reset"))).isFalse();
  }
}
