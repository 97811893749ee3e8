"""The phone channel: call events from the company's PBX, who should answer, honest waits and callbacks."""
