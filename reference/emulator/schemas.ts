/** The documented request bodies of the Managed Deep Agents API, restated by hand (see validate.ts). */
import { any, arr, bool, int, mapOf, nullable, obj, oneOf, str, uri, uuid } from "./validate.ts";

const strings = () => arr(str());

const AgentPermissions = obj({
  identity: oneOf("personal", "shared"),
  visibility: oneOf("tenant", "user"),
  tenant_access_level: oneOf("read", "run", "write"),
  shared_users: obj({ read: strings(), run: strings(), update: strings() }),
});

const AgentRuntime = obj({ model: obj({ model_id: str() }) });

export const ToolsConfig = obj({
  tools: arr(obj({ name: str(), mcp_server_url: uri(), mcp_server_name: str(), display_name: str() })),
  interrupt_config: mapOf(bool()),
});

const SubagentSpec = obj({ name: str(), description: str(), model_id: str(), instructions: str(), tools: ToolsConfig });
const SkillSpec = obj({ type: oneOf("inline"), name: str(), description: str(), instructions: str(), files: mapOf(str()) });
const FileMap = mapOf(obj({ type: oneOf("file", "skill"), content: str(), repo_handle: str(), commit_id: str() }));

const AgentBackend = obj({
  type: oneOf("state", "sandbox"),
  sandbox_config: obj({
    scope: oneOf("thread", "agent"),
    snapshot_id: str(),
    policy_ids: strings(),
    idle_ttl_seconds: int(),
    delete_after_stop_seconds: int(),
  }),
});

const agentFields = {
  description: str(),
  permissions: AgentPermissions,
  runtime: AgentRuntime,
  instructions: str(),
  tools: ToolsConfig,
  subagents: arr(SubagentSpec),
  skills: arr(SkillSpec),
  extras: mapOf(any()),
  files: FileMap,
  backend: AgentBackend,
  system_prompt: str(),
  configurable: mapOf(any()),
};

export const CreateAgentRequest = obj({ name: str({ nonBlank: true }), ...agentFields }, ["name"]);
export const UpdateAgentRequest = obj({ name: str({ nonBlank: true }), ...agentFields, deleted_paths: strings() });
export const CloneAgentRequest = obj({ name: str({ nonBlank: true }), permissions: AgentPermissions });

const CreateThreadOptions = obj({ test_run: bool(), skip_memory_write_protection: bool() });
const IfExists = oneOf("do_nothing", "raise");

export const CreateThreadRequest = obj(
  { agent_id: uuid(), options: CreateThreadOptions, thread_id: uuid(), if_exists: IfExists, metadata: mapOf(any()) },
  ["agent_id"],
);
export const UpdateThreadRequest = obj({ title: str(), metadata: mapOf(any()) }, [], any());
export const BulkUpdateThreadsRequest = obj({ thread_ids: arr(str(), { max: 50 }), data: UpdateThreadRequest }, ["thread_ids", "data"]);
export const PassThroughJSON = obj({}, [], any());

const STREAM_MODES = ["values", "updates", "messages-tuple"] as const;
const Message = obj({ role: oneOf("user", "assistant", "system", "tool"), content: str() }, [], any());
export const StreamRunRequest = obj(
  {
    agent_id: uuid(),
    input: obj({ messages: arr(Message, { min: 1 }) }, ["messages"], any()),
    stream_mode: arr(oneOf(...STREAM_MODES)),
    stream_subgraphs: bool(),
    user_timezone: str(),
  },
  ["agent_id", "input"],
  any(),
);
export const CreateThreadAndRunRequest = obj(
  { agent_id: str(), thread: obj({ thread_id: uuid(), if_exists: IfExists, metadata: mapOf(any()), options: CreateThreadOptions }) },
  ["agent_id"],
  any(),
);

const McpServerHeaders = arr(obj({ key: str(), value: str() }, ["key", "value"]));
const AuthType = oneOf("headers", "oauth");
const OAuthMode = oneOf("legacy_shared_provider", "per_user_dynamic_client");
export const CreateMcpServerRequest = obj(
  {
    name: str({ nonBlank: true }),
    url: uri(),
    headers: McpServerHeaders,
    auth_type: AuthType,
    oauth_provider_id: nullable(uuid()),
    oauth_mode: OAuthMode,
    vendor_id: str(),
    external_system_id: str(),
  },
  ["name", "url"],
);
export const UpdateMcpServerRequest = obj({ url: uri(), headers: McpServerHeaders, auth_type: AuthType, oauth_provider_id: nullable(uuid()), oauth_mode: OAuthMode });
export const RegisterMcpOAuthProviderRequest = obj({ ls_user_id: str() });

export const CreateAuthSessionRequest = obj(
  { provider_id: str({ nonBlank: true }), scopes: strings(), strategy: oneOf("REUSE", "CREATE"), agent_id: str(), token_id: str(), is_default: bool() },
  ["provider_id", "scopes", "strategy"],
);
