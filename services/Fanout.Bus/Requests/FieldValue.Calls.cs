using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Bus.Requests;

// Reading 'calls' and 'retry'. A run may hold 100,000 calls, so each is read in one pass and its problems are capped.
internal readonly partial record struct FieldValue
{
    static readonly string[] CallFields = ["service", "request", "key", "retry"];
    static readonly string[] RetryFields = ["attempts", "delay_ms"];

    public List<Call> Calls()
    {
        if (Json.ValueKind != JsonValueKind.Array)
            return Refused(new List<Call>(),
                "an array of calls such as [{\"service\": \"resize\", \"request\": {...}, \"key\": \"img-1\"}]");
        var calls = new List<Call>(Json.GetArrayLength());
        var problems = new CappedProblems(Problems, "problems in calls");
        var index = 0;
        foreach (var item in Json.EnumerateArray())
            calls.Add(ReadCall(item, $"calls[{index++}]", problems));
        problems.Close();
        return calls;
    }

    public RetryPolicy? Retry()
    {
        var problems = Problems;
        return ReadRetry(Json, Name, p => problems.Add(p));
    }

    static Call ReadCall(JsonElement json, string where, CappedProblems problems)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} must be an object with \"service\" and \"request\"; got {Describe(json)}");
            return new Call();
        }

        var call = new Call();
        foreach (var field in json.EnumerateObject())
        {
            var value = field.Value;
            switch (field.Name)
            {
                case "service" when value.ValueKind == JsonValueKind.String:
                    call = call with { Service = value.GetString()! };
                    break;
                case "key" when value.ValueKind == JsonValueKind.String:
                    call = call with { Key = value.GetString() };
                    break;
                case "service" or "key" when value.ValueKind != JsonValueKind.Null:
                    problems.Add(new RequestProblem(ProblemCodes.WrongType, $"{where}.{field.Name}",
                        $"{where}.{field.Name} must be a string; got {Describe(value)}"));
                    break;
                case "request":
                    call = call with { Request = value.Clone() };
                    break;
                case "retry" when value.ValueKind != JsonValueKind.Null:
                    call = call with { Retry = ReadRetry(value, $"{where}.retry", p => problems.Add(p)) };
                    break;
                case "service" or "key" or "retry":
                    break; // null means "not given", as elsewhere in the request
                default:
                    problems.Add(new RequestProblem(ProblemCodes.UnknownField, $"{where}.{field.Name}",
                        Unknown(field.Name, where, CallFields)));
                    break;
            }
        }

        return call;
    }

    static RetryPolicy? ReadRetry(JsonElement json, string where, Action<string> problem)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            problem($"'{where}' must be an object such as {{\"attempts\": 3, \"delay_ms\": 200}}; " +
                $"got {Describe(json)}");
            return null;
        }

        var retry = new RetryPolicy();
        foreach (var field in json.EnumerateObject())
        {
            if (!RetryFields.Contains(field.Name))
                problem(Unknown(field.Name, where, RetryFields));
            else if (AsLong(field.Value) is { } n && n is >= int.MinValue and <= int.MaxValue)
                retry = field.Name == "attempts" ? retry with { Attempts = (int)n } : retry with { DelayMs = (int)n };
            else
                problem($"'{where}.{field.Name}' must be a whole number; got {Describe(field.Value)}");
        }

        return retry;
    }

    static string Unknown(string name, string where, string[] accepted) =>
        ClosestName.Among(name, accepted) is { } meant
            ? $"{where}: unknown field '{name}' (did you mean '{meant}'?)"
            : $"{where}: unknown field '{name}'; it takes {string.Join(", ", accepted)}";
}
