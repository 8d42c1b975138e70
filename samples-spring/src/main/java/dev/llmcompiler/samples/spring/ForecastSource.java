package dev.llmcompiler.samples.spring;

/** Where forecasts come from: a weather service in a real application. */
public interface ForecastSource {

  /** Tomorrow's forecast for {@code city}. */
  Forecast tomorrow(String city);
}
