# The product's second example, unchanged except for the base URL (the app's origin; OA_URL overrides it).
import os
import requests
INFERENCE_URL = os.environ.get("OA_URL", "http://localhost:3000")
chat_id = requests.post(f"{INFERENCE_URL}/chats", headers={"X-API-Key": "0000"}, json={}).json()["id"]
message = requests.post(f"{INFERENCE_URL}/chats/{chat_id}/messages", headers={"X-API-Key": "0000"}, json={
    "parent_id": None, "content": "解释一下快速排序算法", "model_config_name": "distilgpt2"}).json()
stream = requests.post(f"{INFERENCE_URL}/chats/{chat_id}/messages/{message['id']}/events",
                       headers={"X-API-Key": "0000"}, stream=True)
for line in stream.iter_lines():
    if line:
        print(line.decode("utf-8"))
