/** AWS's managed rule groups the firewall runs after its per-address rate limit; each is billed as a rule. */
export const FIREWALL_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** The firewall's rules: the rate limit and each managed group. */
export const FIREWALL_RULE_COUNT = 1 + FIREWALL_MANAGED_RULE_GROUPS.length;
