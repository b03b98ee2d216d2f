using System.Text.Encodings.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Fanout.Bus.Logging;

public static class FanoutLogging
{
    public const string FormatVariable = "FANOUT_LOG_FORMAT";

    /// <summary>
    /// Console logs of every host, one line per event: JSON (the default: timestamp, level, category, message,
    /// the message's named values and the scopes with cid/target) or, with FANOUT_LOG_FORMAT=text, a plain line.
    /// <paramref name="toStandardError"/> keeps stdout free for a program's own output.
    /// </summary>
    public static ILoggingBuilder AddFanoutLogging(this ILoggingBuilder logging, IConfiguration configuration,
        bool toStandardError = false)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = toStandardError ? LogLevel.Trace : LogLevel.None);
        if (string.Equals(configuration[FormatVariable], "text", StringComparison.OrdinalIgnoreCase))
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        else
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                // Relaxed escaping: quotes, '+' and '<' stay readable in messages that quote JSON or type names.
                o.JsonWriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        // EF Core logs every SQL command at Information; the services' own lines are the useful ones.
        logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        return logging;
    }
}
