# The product's first example, unchanged except for the base URL (the app's origin; OA_URL overrides it).
import os
import requests
BASE_URL = os.environ.get("OA_URL", "http://localhost:3000") + "/api/v1"
headers = {"X-API-Key": "1234"}
user = {"id": "__test_user__", "display_name": "Test User", "auth_method": "local"}
task = requests.post(f"{BASE_URL}/tasks", headers=headers, json={"type": "initial_prompt", "user": user, "lang": "en"}).json()
print(f"Task ID: {task['id']}, Type: {task['type']}")
requests.post(f"{BASE_URL}/tasks/{task['id']}/ack", headers=headers, json={"message_id": "test_msg_001"})
result = requests.post(f"{BASE_URL}/tasks/interaction", headers=headers, json={
    "type": "text_reply_to_message", "user": user, "message_id": "test_msg_001",
    "text": "如何学习 Python 编程？", "lang": "zh"}).json()
print(f"Interaction result: {result}")
