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
}
