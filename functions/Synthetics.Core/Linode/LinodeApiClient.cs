using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Synthetics.Linode;

/// <summary>
/// A read-only client of the Linode API v4: bearer token, pagination followed to the last page, <c>429</c> waited out
/// per <c>Retry-After</c> (bounded in count and length), every request bounded by its own timeout through the injected
/// <see cref="TimeProvider"/>. Whatever goes wrong is a <see cref="LinodeApiException"/> with one line naming the path and
/// what happened (<c>401</c> the token, <c>403</c> the missing scope); the token and the answers' bodies never reach a
/// message.
/// </summary>
internal sealed class LinodeApiClient
{
    // Bounds what a confused server can make us read: a page of 500 clusters is far below this.
    private const int MaxAnswerBytes = 16 * 1024 * 1024;

    // A list longer than this many pages is no account's estate; a server that keeps saying "more" is broken.
    private const int MaxPages = 1000;

    private readonly HttpClient _http;
    private readonly LinodeOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _root;
    private readonly string _userAgent;

    /// <exception cref="LinodeApiException">The token is missing or the API URL is not an absolute http(s) URL.</exception>
    /// <exception cref="LinodeApiException">Also when the token is a Key Vault reference the platform left unresolved.</exception>
    public LinodeApiClient(HttpClient http, LinodeOptions options, TimeProvider time, string vantage)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _http.MaxResponseContentBufferSize = MaxAnswerBytes;
        // Our own per-request bound (on the injected clock) decides; the client's default 100 s must not cut first.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _options = options;
        _time = time;
        if (!options.IsEnabled)
        {
            throw new LinodeApiException("Synthetics:Linode:Token is not set");
        }

        if (options.Token!.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            // App Service leaves the reference itself in the setting when it cannot resolve it.
            throw new LinodeApiException(
                "Synthetics:Linode:Token is a Key Vault reference the platform did not resolve (secret missing, disabled or not readable by the app's identity)");
        }

        var url = options.ApiUrl.EndsWith('/') ? options.ApiUrl : options.ApiUrl + "/";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttps && root.Scheme != Uri.UriSchemeHttp))
        {
            throw new LinodeApiException("Synthetics:Linode:ApiUrl is not an absolute http(s) URL");
        }

        _root = root;
        _userAgent = $"LKE-Synthetics/{ProductVersion.Value} ({vantage})";
    }

    /// <summary>
    /// Every item of the list at <paramref name="path"/> (e.g. <c>lke/clusters</c>), page after page until <c>pages</c>.
    /// <paramref name="scope"/> is the OAuth scope the path needs, named when the API answers 403.
    /// </summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(string path, string scope, string? filter, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var pages = 1;
        for (var page = 1; page <= pages; page++)
        {
            var answer = await GetAsync<LinodePage<T>>(
                $"{path}?page={page.ToString(CultureInfo.InvariantCulture)}&page_size={_options.PageSize.ToString(CultureInfo.InvariantCulture)}",
                scope, filter, cancellationToken);
            if (answer.Pages < 1 || answer.Pages > MaxPages || answer.Page != page)
            {
                throw new LinodeApiException($"GET {path} page {page} answered a page envelope the API does not send (page {answer.Page} of {answer.Pages})");
            }

            items.AddRange(answer.Data);
            pages = answer.Pages;
        }

        return items;
    }

    /// <summary>The object at <paramref name="path"/>, read as <typeparamref name="T"/>.</summary>
    public async Task<T> GetAsync<T>(string path, string scope, string? filter, CancellationToken cancellationToken)
    {
        var shown = path.Split('?')[0];
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (filter is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Filter", filter);
            }

            var timeout = TimeSpan.FromSeconds(_options.RequestTimeoutSeconds);
            using var bound = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
            HttpStatusCode status;
            byte[] body;
            TimeSpan? retryAfter;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
                status = response.StatusCode;
                retryAfter = RetryAfter(response);
                body = await response.Content.ReadAsByteArrayAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LinodeApiException($"GET {shown}: no complete answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException ex)
            {
                // The exception's own message may quote the URL; the kind of failure is enough and safe.
                throw new LinodeApiException($"GET {shown}: the request failed ({Describe(ex)})");
            }

            if (status == HttpStatusCode.TooManyRequests)
            {
                var wait = retryAfter ?? TimeSpan.FromSeconds(1);
                var longest = TimeSpan.FromSeconds(_options.MaxRetryAfterSeconds);
                if (attempt >= _options.RateLimitRetries)
                {
                    throw new LinodeApiException($"GET {shown}: rate limited (429) {attempt + 1} times in a row", 429);
                }

                if (wait > longest)
                {
                    throw new LinodeApiException($"GET {shown}: rate limited (429) with Retry-After {wait.TotalSeconds:0} s, longer than the {longest.TotalSeconds:0.#} s waited at most", 429);
                }

                await Task.Delay(wait, _time, cancellationToken);
                continue;
            }

            return (int)status switch
            {
                401 => throw new LinodeApiException(
                    $"GET {shown}: the Linode API refused the token (401): Synthetics:Linode:Token is invalid, expired or revoked", 401),
                403 => throw new LinodeApiException(
                    $"GET {shown}: the token may not read this (403): it needs the {scope} scope", 403),
                >= 200 and < 300 => Read<T>(shown, body),
                var other => throw new LinodeApiException($"GET {shown}: the Linode API answered {other}{Reason(body)}", other),
            };
        }
    }

    private static T Read<T>(string shown, byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, LinodeWire.Json)
                ?? throw new LinodeApiException($"GET {shown}: the answer is null, not the object the API documents");
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } p ? $" at {p}" : "";
            throw new LinodeApiException($"GET {shown}: the answer is not what the API documents (malformed, truncated or of another shape{where})");
        }
    }

    /// <summary>The first <c>errors[].reason</c> of an error body, short and on one line, or nothing.</summary>
    private static string Reason(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
                && errors[0].ValueKind == JsonValueKind.Object
                && errors[0].TryGetProperty("reason", out var reason)
                && reason.ValueKind == JsonValueKind.String)
            {
                var text = string.Join(' ', (reason.GetString() ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                return text.Length == 0 ? "" : $": {(text.Length > 120 ? text[..120] + "…" : text)}";
            }
        }
        catch (JsonException)
        {
            // Not the API's error body: the status says enough.
        }

        return "";
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string Describe(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.ConfigurationLimitExceeded => $"answer larger than {MaxAnswerBytes / (1024 * 1024)} MiB",
        HttpRequestError.Unknown when ex.InnerException is IOException => "connection lost",
        var error => error.ToString(),
    };
}
