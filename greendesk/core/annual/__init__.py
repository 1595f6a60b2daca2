"""The annual return (动态管理表) and the three-year check across a workspace's years."""
