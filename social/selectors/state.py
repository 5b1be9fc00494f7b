"""What social adds to the synced state (progression.state_sections): the challenges joined.

`activeChallenges` lists the community challenges the user has joined (and not left) that have
not ended and that staff have not hidden, soonest ending first, each as the contract's challenge
object without the parts that move with other people or with every sync: `{id, title,
description, type, goal: {metric, target, durationDays}, startsAt, endsAt, rewards: {xp,
badgeId}, visibility, joinedAt}`. A challenge that starts later is listed from the moment it is
joined. Progress and participants are on `GET /challenges/{id}` (or `?joined=true`): computing
them here would cost every upload a read of the user's days per challenge.

It is folded into the state's one statement: an indexed read of the user's participations,
no round trip of its own. Only `%(user)s` and `%(now)s` may be used here.
"""

ACTIVE_CHALLENGES_SQL = """
    SELECT json_agg(json_build_object(
        'id', c.id, 'title', c.title, 'description', c.description, 'type', c.type,
        'goal', json_build_object(
            'metric', c.goal_metric, 'target', c.goal_target, 'durationDays', c.duration_days),
        'startsAt', c.starts_at, 'endsAt', c.ends_at,
        'rewards', json_build_object('xp', c.reward_xp, 'badgeId', NULLIF(c.reward_badge_id, '')),
        'visibility', c.visibility, 'joinedAt', p.joined_at) ORDER BY c.ends_at, c.id)
    FROM social_challengeparticipation p JOIN social_challenge c ON c.id = p.challenge_id
    WHERE p.user_id = %(user)s AND p.left_at IS NULL
        AND c.hidden_at IS NULL AND c.ends_at > %(now)s
"""
