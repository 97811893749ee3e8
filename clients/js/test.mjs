// Run by tests/app/test_clients.py against a running server: node --test clients/js/test.mjs
// (ANLIEGEN_URL, ANLIEGEN_BRAND, ANLIEGEN_KEY in the environment).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ReportClient, ReportError } from "./anliegen-reports.mjs";

const { ANLIEGEN_URL: url, ANLIEGEN_BRAND: brand, ANLIEGEN_KEY: key } = process.env;

test("a report is confirmed with the owner and can be polled", async () => {
  const client = new ReportClient(url, brand, key);
  const confirmation = await client.report({ reportId: "js-1", userId: "js-user", text: "Crash beim Start", appVersion: "1.0.0", log: "FATAL boom" });
  assert.equal(confirmation.state, "processed");
  assert.ok(confirmation.owner.name.length > 0);
  const answer = await client.poll(confirmation.poll_url);
  assert.equal(answer.messages[0].from, "user");
});

test("a wrong key is a 401 with the error shape", async () => {
  const client = new ReportClient(url, brand, "ak_nope_nope");
  await assert.rejects(client.report({ userId: "x", text: "y" }), (err) => err instanceof ReportError && err.status === 401 && err.code === "unauthorized");
});
