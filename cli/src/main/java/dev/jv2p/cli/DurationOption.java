package dev.jv2p.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration option value: {@code 250ms}, {@code 2s}, {@code 1m}, or ISO-8601 ({@code PT2S}). */
final class DurationOption implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt")) {
                d = Duration.parse(t);
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            } else {
                throw new TypeConversionException("'" + text + "' needs a unit: ms, s or m (e.g. 500ms, 2s)");
            }
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("'" + text + "' must be longer than zero");
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a duration like 500ms, 2s or 1m");
        }
    }
}
