using System.Net;
using System.Text;
using Fanout.IntegrationTests.Support;

namespace Fanout.IntegrationTests;

/// <summary>
/// Protected by default, over real HTTP: without an API key only loopback clients are served (others get 403) unless
/// the gateway is told to serve everyone; with a key, the header or the session cookie opens the API. A request from
/// another machine is simulated by the test host, which sets the connection's remote address from a header.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class GatewayProtectionTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    const string Remote = "203.0.113.7";

    /// <summary>Answered by the gateway alone (400 for the unknown type) once a request is let through.</summary>
    const string Probe = "/v1/events?types=nothing";

    static HttpRequestMessage Request(HttpMethod method, string path, string? from = null, string? key = null,
        string? cookie = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (from is not null)
            request.Headers.Add(GatewayHost.RemoteAddressHeader, from);
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    static async Task<HttpStatusCode> Status(HttpClient http, HttpRequestMessage request) =>
        (await http.SendAsync(request)).StatusCode;

    /// <summary>A client that keeps no cookies: each request sends exactly the cookie the test gives it.</summary>
    static HttpClient WithoutCookieJar(GatewayHost gateway) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(gateway.Url) };

    [Fact]
    public async Task Without_a_key_only_loopback_clients_are_served_but_health_and_result_posts_stay_open()
    {
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        using var http = WithoutCookieJar(gateway);

        Assert.Equal(HttpStatusCode.BadRequest, await Status(http, Request(HttpMethod.Get, Probe)));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(http, Request(HttpMethod.Get, Probe, from: "::1")));
        var refused = await http.SendAsync(Request(HttpMethod.Get, Probe, from: Remote));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("FANOUT_API_KEY", await refused.Content.ReadAsStringAsync());
        foreach (var path in new[] { "/v1/fanouts", "/v1/services", "/openapi/v1.json", "/ui/" })
            Assert.Equal(HttpStatusCode.Forbidden, await Status(http, Request(HttpMethod.Get, path, from: Remote)));

        Assert.NotEqual(HttpStatusCode.Forbidden, await Status(http, Request(HttpMethod.Get, "/health/live", Remote)));
        // Refused for want of a completion token, not for the address.
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(http,
            Request(HttpMethod.Post, "/v1/fanouts/c1/targets/t1/result", Remote, body: """{"ok":true}""")));
    }

    [Fact]
    public async Task Serving_remote_clients_without_a_key_takes_the_explicit_setting()
    {
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl(), extraSettings:
            new Dictionary<string, string?> { ["Fanout:Gateway:AllowRemoteWithoutKey"] = "true" });
        using var http = WithoutCookieJar(gateway);

        Assert.Equal(HttpStatusCode.BadRequest, await Status(http, Request(HttpMethod.Get, Probe, from: Remote)));
    }

    [Fact]
    public async Task With_a_key_remote_clients_need_it_in_the_header_or_the_session_cookie()
    {
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl(), apiKey: "k-42");
        using var http = WithoutCookieJar(gateway);

        Assert.Equal(HttpStatusCode.Unauthorized, await Status(http, Request(HttpMethod.Get, Probe, from: Remote)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(http, Request(HttpMethod.Get, Probe)));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(http, Request(HttpMethod.Get, Probe, Remote, "k-42")));

        Assert.Equal(HttpStatusCode.Unauthorized, await Status(http,
            Request(HttpMethod.Post, "/v1/session", Remote, body: """{"api_key":"k-41"}""")));
        var signIn = await http.SendAsync(
            Request(HttpMethod.Post, "/v1/session", Remote, body: """{"api_key":"k-42"}"""));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("fanout_key=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("k-42", setCookie);
        var cookie = setCookie.Split(';')[0];

        Assert.Equal(HttpStatusCode.BadRequest, await Status(http,
            Request(HttpMethod.Get, Probe, Remote, cookie: cookie)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(http,
            Request(HttpMethod.Get, Probe, Remote, cookie: "fanout_key=k-42")));

        var signOut = await http.SendAsync(Request(HttpMethod.Delete, "/v1/session", Remote, cookie: cookie));
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(signOut.Headers.GetValues("Set-Cookie")));
    }
}
