using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Rows for bulk statements that SQLite unpacks with <c>json_each</c> and PostgreSQL with <c>jsonb_array_elements</c>
/// (one bound value per batch), with values in the form EF Core's SQLite provider stores and reads back: Guid as
/// upper-case text, DateTime as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> UTC text (PostgreSQL casts them to its types).
/// </summary>
internal static class JsonRows
{
    /// <summary>The rows as a JSON array of arrays, one inner array per row.</summary>
    public static string Array<T>(IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartArray();
                write(writer, row);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value);
    }

    public static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public static string Key(Guid id) => id.ToString().ToUpperInvariant();

    /// <summary>As Microsoft.Data.Sqlite binds a DateTime (what EF Core reads back).</summary>
    const string DateFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static string? Utc(DateTime? value) =>
        value is { } v
            ? (v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()).ToString(DateFormat, CultureInfo.InvariantCulture)
            : null;

    public static DateTime ParseUtc(string text) =>
        DateTime.SpecifyKind(
            DateTime.Parse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            DateTimeKind.Utc);
}
