using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fanout.Storage;

/// <summary>SQLite hands DateTime back unspecified; payloads must say UTC ("...Z").</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
