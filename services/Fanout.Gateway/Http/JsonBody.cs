using System.Text.Json;
using Fanout.Bus.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Http;

/// <summary>
/// Reads a JSON body with errors that say what is wrong: the content type (415), the size (413), the JSON itself
/// (400 with line and position). Minimal APIs' own binding answers these with a bare status.
/// </summary>
internal sealed class JsonBody(GatewaySettings settings)
{
    public async Task<(T? Value, ProblemHttpResult? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                ErrorCodes.UnsupportedMediaType,
                "Send the body as JSON with 'Content-Type: application/json' " +
                $"(got '{request.ContentType ?? "none"}')."));
        if (request.ContentLength > settings.MaxRequestBodyBytes)
            return (null, TooLarge(request.ContentLength.Value));

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(
                request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return value is null
                ? (null, Problems.BadRequest(ErrorCodes.InvalidJson, "The body is JSON null; send a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest(ErrorCodes.InvalidJson, $"The body is {JsonProblems.Describe(ex)}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(null));
        }
    }

    ProblemHttpResult TooLarge(long? length) => Problems.Of(
        StatusCodes.Status413PayloadTooLarge, "The body is too large", ErrorCodes.BodyTooLarge,
        $"The limit is {settings.MaxRequestBodyBytes} bytes" + (length is null ? "" : $"; this body has {length}") +
        $". The gateway's {GatewaySettings.MaxRequestBodyBytesKey} setting raises it.");
}
