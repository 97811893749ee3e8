"""Send an in-app report and wait for the answer: python example.py BASE_URL BRAND API_KEY."""

import sys
import time

from anliegen_client import ReportClient

base_url, brand, key = sys.argv[1:4]
client = ReportClient(base_url, brand, key)
confirmation = client.report(
    user_id="demo-user-1",
    text="Die App stürzt beim Anmelden ab.",
    app_version="3.2.1",
    device="Pixel 7",
    os="Android 14",
    log="12:01:07 AuthService: FATAL NullPointerException at LoginView.kt:88",
)
print(f"{confirmation['owner']['name']} answers by {confirmation['reply_by']}")
while True:
    answer = client.poll(confirmation["poll_url"])
    agent_lines = [m for m in answer["messages"] if m["from"] == "agent"]
    if agent_lines:
        print(f"{agent_lines[-1]['author']}: {agent_lines[-1]['text']}")
        break
    time.sleep(10)
