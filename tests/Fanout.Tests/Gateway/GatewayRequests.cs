using System.Text;
using Fanout.Gateway;
using Fanout.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Tests.Gateway;

/// <summary>Calls gateway route handlers directly, with an HTTP request built in memory instead of a web server.</summary>
internal static class GatewayRequests
{
    public static readonly GatewaySettings Settings = new() { OrchestratorTimeout = TimeSpan.FromMilliseconds(300) };
    public static readonly JsonBody Json = new(Settings);

    public static HttpRequest Post(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }

    public static ProblemHttpResult Problem(IResult result) => Assert.IsType<ProblemHttpResult>(result);

    public static IReadOnlyList<ApiError> Errors(ProblemHttpResult problem) =>
        Assert.IsAssignableFrom<IReadOnlyList<ApiError>>(problem.ProblemDetails.Extensions["errors"]);
}
