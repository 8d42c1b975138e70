package dev.llmcompiler.samples.spring;

import dev.llmcompiler.annotations.Tool;
import org.springframework.stereotype.Service;

/**
 * An ordinary Spring service whose {@code @Tool} methods the model may call: the starter finds it
 * by its class and adds its generated tool set to the {@code LlmCompiler} bean and to {@link
 * TravelAgent}.
 */
@Service
public class TravelService {
  private final ForecastSource forecasts;

  /** The service, over a source of forecasts. */
  public TravelService(ForecastSource forecasts) {
    this.forecasts = forecasts;
  }

  /**
   * Tomorrow's weather forecast for a city.
   *
   * @param city the city's name, e.g. "Paris"
   */
  @Tool
  public Forecast forecast(String city) {
    return forecasts.tomorrow(city);
  }

  /**
   * How long a direct flight between two cities takes, in minutes.
   *
   * @param from the city of departure
   * @param to the city of arrival
   */
  @Tool
  public int flightMinutes(String from, String to) {
    return 60 + Math.abs(from.length() - to.length()) * 25;
  }
}
