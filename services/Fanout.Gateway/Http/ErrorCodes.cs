using Fanout.Bus.Requests;

namespace Fanout.Gateway.Http;

/// <summary>
/// The <c>code</c> of each entry in an HTTP error's <c>errors</c>: snake_case and stable. Run-request problems carry
/// the codes of <see cref="ProblemCodes"/>; these are the gateway's own. docs/http-api.md lists them all.
/// </summary>
internal static class ErrorCodes
{
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string BodyTooLarge = "body_too_large";
    public const string InvalidJson = "invalid_json";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ApiKeyRequired = "api_key_required";
    public const string NotAnswered = "not_answered";
    public const string DuplicateCid = "duplicate_cid";
    public const string LimitOutOfRange = ProblemCodes.LimitOutOfRange;
    public const string InvalidServiceName = ProblemCodes.InvalidServiceName;
    public const string UnknownState = "unknown_state";
    public const string UnknownMode = "unknown_mode";
    public const string UnknownEventType = "unknown_event_type";
    public const string InvalidEventId = "invalid_event_id";
    public const string RemoteNeedsKey = "remote_needs_key";
    public const string WrongApiKey = "wrong_api_key";
    public const string InvalidQuery = "invalid_query";
    public const string RunEnded = "run_ended";
    public const string OrderStarted = "order_started";

    // Results posted by external systems.
    public const string CompletionTokenRequired = "completion_token_required";
    public const string InvalidCompletionToken = "invalid_completion_token";
    public const string HandleRequired = "handle_required";
    public const string InvalidHandle = "invalid_handle";
    public const string OkRequired = "ok_required";
    public const string ResultConflict = "result_conflict";
    public const string ResultLate = "result_late";
}
