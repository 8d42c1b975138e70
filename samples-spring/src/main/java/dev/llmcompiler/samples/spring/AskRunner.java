package dev.llmcompiler.samples.spring;

import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Answers the question given on the command line (its words that are not {@code --options}) under a
 * request id in the MDC: every log line of the run, including those the tools write on their own
 * threads, carries it.
 */
@Component
class AskRunner implements ApplicationRunner {
  private final TravelAgent agent;

  AskRunner(TravelAgent agent) {
    this.agent = agent;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (args.getNonOptionArgs().isEmpty()) {
      return;
    }
    String requestId = UUID.randomUUID().toString();
    MDC.put("requestId", requestId);
    try {
      System.out.println(
          "[" + requestId + "] " + agent.ask(String.join(" ", args.getNonOptionArgs())));
    } finally {
      MDC.remove("requestId");
    }
  }
}
