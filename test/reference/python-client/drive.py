"""Drives all 28 operations of the Managed Deep Agents API with the published Python client.

Reads the base URL, the key and the MCP server URL from the environment; prints one JSON line per
operation: {"op": name, "ok": bool, "detail": str}. Exits 0 whatever the outcomes: the test judges them.
"""
import json
import os
import time

from managed_deepagents import Client, ManagedDeepAgentsAPIError

results = []


def step(op, fn):
    try:
        value = fn()
        results.append({"op": op, "ok": True, "detail": ""})
        return value
    except ManagedDeepAgentsAPIError as e:
        results.append({"op": op, "ok": False, "detail": f"API error {getattr(e, 'status_code', '?')}: {e}"})
    except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
        results.append({"op": op, "ok": False, "detail": f"{type(e).__name__}: {e}"})
    return None


def wait_status(client, thread_id, wanted, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        status = client.threads.get(thread_id).get("status")
        if status in wanted:
            return status
        time.sleep(0.1)
    return None


mcp_url = os.environ["MCP_URL"]
quick = {"model": {"model_id": "scripted:tokens=3,delay_ms=1"}}
with Client(api_url=os.environ["MDA_URL"], api_key=os.environ["MDA_KEY"], timeout=30.0) as c:
    agent = step("createManagedDeepAgent", lambda: c.agents.create(name="python client", runtime=quick))
    aid = agent["id"]
    step("listManagedDeepAgents", lambda: c.agents.list())
    step("getManagedDeepAgent", lambda: c.agents.get(aid))
    step("updateManagedDeepAgent", lambda: c.agents.update(aid, description="driven by the Python client"))
    clone = step("cloneManagedDeepAgent", lambda: c.agents.clone(aid, name="python client clone"))
    step("getManagedDeepAgentHealth", lambda: c.agents.health(aid))

    thread = step("createManagedDeepAgentThread", lambda: c.threads.create(agent_id=aid, metadata={"by": "python"}))
    tid = thread["id"]
    step("listManagedDeepAgentThreads", lambda: c.threads.list(agent_id=aid))
    step("searchManagedDeepAgentThreads", lambda: c.threads.search(metadata={"by": "python"}, limit=10))
    step("countManagedDeepAgentThreads", lambda: c.threads.count(agent_id=aid))
    step("getManagedDeepAgentThread", lambda: c.threads.get(tid))
    step("updateManagedDeepAgentThread", lambda: c.threads.update(tid, title="python"))
    step("bulkUpdateManagedDeepAgentThreads", lambda: c.threads.bulk_update(thread_ids=[tid], data={"title": "bulk"}))
    step("createManagedDeepAgentThreadRun", lambda: c.threads.invoke(agent_id=aid, thread_id=tid, messages=[{"role": "user", "content": "hi"}]))
    wait_status(c, tid, {"idle", "error"})
    step("streamManagedDeepAgentThreadRun", lambda: list(c.threads.stream(tid, agent_id=aid, messages=[{"role": "user", "content": "hi"}], stream_mode=["values"])))
    step("createManagedDeepAgentThreadAndRun", lambda: c.threads.create_and_run(agent_id=aid, input={"messages": [{"role": "user", "content": "hi"}]}))

    # An agent that asks approval before a tool, so its run stops at an interrupt to resolve.
    hitl = step("createManagedDeepAgent", lambda: c.agents.create(name="python hitl", runtime=quick, tools={"interrupt_config": {"write_todos": True}}))
    htid = c.threads.create(agent_id=hitl["id"])["id"]
    list(c.threads.stream(htid, agent_id=hitl["id"], messages=[{"role": "user", "content": "plan"}], stream_mode=["updates"]))
    wait_status(c, htid, {"interrupted"})
    step("resolveManagedDeepAgentThreadInterrupt", lambda: c.threads.resolve_interrupt(htid))
    wait_status(c, htid, {"idle", "error"})

    server = step("createMcpServer", lambda: c.mcp_servers.create(name="python mcp", url=mcp_url, headers=[{"key": "Authorization", "value": "Bearer python"}]))
    sid = server["id"]
    step("listMcpServers", lambda: c.mcp_servers.list())
    step("getMcpServer", lambda: c.mcp_servers.get(sid))
    step("updateMcpServer", lambda: c.mcp_servers.update(sid, headers=[{"key": "Authorization", "value": "Bearer python2"}]))
    step("listMcpTools", lambda: c.mcp_servers.list_tools(url=mcp_url))
    oauth = step("createMcpServer", lambda: c.mcp_servers.create(name="python oauth", url=mcp_url.replace("/mcp", "/oauth-mcp"), auth_type="oauth", oauth_mode="per_user_dynamic_client"))
    step("registerMcpOAuthProvider", lambda: c.mcp_servers.register_oauth_provider(oauth["id"]))
    step("deleteMcpServer", lambda: (c.mcp_servers.delete(oauth["id"]), c.mcp_servers.delete(sid)))

    session = step("startAuthSession", lambda: c.auth_sessions.create(provider_id="python", scopes=["read"], strategy="CREATE"))
    step("getAuthSession", lambda: c.auth_sessions.get(session["id"]))

    step("deleteManagedDeepAgentThread", lambda: (c.threads.delete(htid), c.threads.delete(tid)))
    step("deleteManagedDeepAgent", lambda: (c.agents.delete(hitl["id"]), c.agents.delete(clone["id"]), c.agents.delete(aid)))

for r in results:
    print(json.dumps(r))
