namespace Fanout.Bus.Requests;

/// <summary>
/// One problem of a run request: a stable code (<see cref="ProblemCodes"/>) a program can act on, the field it is
/// about when one is, and the message for a person. A bare message reads as <see cref="ProblemCodes.InvalidRequest"/>.
/// </summary>
public sealed record RequestProblem(string Code, string? Field, string Message)
{
    public static implicit operator RequestProblem(string message) => new(ProblemCodes.InvalidRequest, null, message);

    public override string ToString() => Message;
}

/// <summary>The codes of <see cref="RequestProblem"/>: snake_case, stable, never reworded.</summary>
public static class ProblemCodes
{
    /// <summary>Any other problem with the request; its message says which.</summary>
    public const string InvalidRequest = "invalid_request";

    public const string InvalidServiceName = "invalid_service_name";
    public const string InvalidCid = "invalid_cid";
    public const string UnknownField = "unknown_field";
    public const string MissingField = "missing_field";
    public const string WrongType = "wrong_type";
    public const string DuplicateName = "duplicate_name";
    public const string OutOfRange = "out_of_range";
    public const string LimitOutOfRange = "limit_out_of_range";
}
