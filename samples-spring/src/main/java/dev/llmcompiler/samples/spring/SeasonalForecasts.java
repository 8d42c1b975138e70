package dev.llmcompiler.samples.spring;

import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Forecasts from a fixed table of seasonal averages, so the sample runs offline. */
@Component
class SeasonalForecasts implements ForecastSource {
  private static final Map<String, Forecast> TABLE =
      Map.of(
          "paris", new Forecast("Paris", 21, "cloudy"),
          "rome", new Forecast("Rome", 27, "sunny"),
          "oslo", new Forecast("Oslo", 15, "rain"));

  @Override
  public Forecast tomorrow(String city) {
    Forecast forecast = TABLE.get(city.toLowerCase(Locale.ROOT));
    if (forecast == null) {
      throw new IllegalArgumentException(
          "No forecast for " + city + "; known cities: Paris, Rome, Oslo");
    }
    return forecast;
  }
}
