// A small client for Anliegen's in-app reports (browsers, React Native, Node 18+): report, then poll.
//   const client = new ReportClient("https://support.example.net", "kabelwelle", apiKey);
//   const confirmation = await client.report({ userId: "u-1783", text: "Crash on login", appVersion: "3.2.1" });
//   const answer = await client.poll(confirmation.poll_url);

export class ReportError extends Error {
  constructor(status, code, detail, body) {
    super(`${status} ${code}: ${detail}`);
    Object.assign(this, { status, code, detail, body });
  }
}

const FIELDS = { reportId: "report_id", userId: "user_id", appVersion: "app_version", errorSignature: "error_signature", answerVia: "answer_via" };

export class ReportClient {
  constructor(baseUrl, brand, apiKey, { fetch: fetchImpl = globalThis.fetch } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.brand = brand;
    this.apiKey = apiKey;
    this.fetch = fetchImpl;
  }

  // Fields: userId, text (required), reportId (a resend with the same id is the same report), appVersion,
  // device, os, log, errorSignature, screenshot (base64 PNG/JPEG), name, email, language, answerVia.
  async report(fields) {
    const body = {};
    for (const [key, value] of Object.entries(fields)) body[FIELDS[key] || key] = value;
    body.report_id = body.report_id || (globalThis.crypto?.randomUUID?.() ?? String(Date.now()) + Math.random());
    return this.#call("POST", `${this.baseUrl}/channels/app/${encodeURIComponent(this.brand)}/reports`, body);
  }

  async poll(pollUrl) {
    return this.#call("GET", pollUrl);
  }

  async #call(method, url, body) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${this.apiKey}` };
    if (body) headers["Content-Type"] = "application/json";
    const response = await this.fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ReportError(response.status, data.code || "http_error", data.detail || response.statusText, data);
    return data;
  }
}
