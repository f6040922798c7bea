from support_network.access import membership_of


def staff(request):
    membership = membership_of(request.user)
    return {"membership": membership, "user_role": membership.role if membership else None}
