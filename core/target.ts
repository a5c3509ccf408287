/** Where the suite sends traffic. */

export interface Target {
  /** Base URL of the Managed Deep Agents API, ending in /v1/deepagents. */
  managedUrl?: string;
  /** Base URL of the LangGraph Agent Server API. */
  agentServerUrl?: string;
  /** Value for the X-Api-Key header of the Managed API. */
  apiKey?: string;
  /** An existing agent to run streams against; the suite creates its own when absent. */
  agentId?: string;
  /** An https MCP server the target can reach, to list tools from (the reference brings its own). */
  mcpUrl?: string;
  /** True when the target is the embedded reference started by this process. */
  embedded: boolean;
}
