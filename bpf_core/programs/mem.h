/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory: mmap, munmap, mprotect, brk, mlock family. */

static __always_inline void push_cur_mm(struct auxmap *a)
{
	push_mm_stats(a, cur_task());
}

SC_EXIT(mmap)
{
	BEGIN(SCAP_EVT_MMAP_X);
	push_s64(a, ret);
	push_cur_mm(a);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	push_u32(a, prot_flags_to_scap(ARG(2)));
	push_u32(a, mmap_flags_to_scap(ARG(3)));
	push_s64(a, (int)ARG(4));
	push_u64(a, ARG(5));
	return ev_submit(a);
}

SC_EXIT(munmap)
{
	BEGIN(SCAP_EVT_MUNMAP_X);
	push_s64(a, ret);
	push_cur_mm(a);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(mprotect)
{
	BEGIN(SCAP_EVT_MPROTECT_X);
	push_s64(a, ret);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	push_u32(a, prot_flags_to_scap(ARG(2)));
	return ev_submit(a);
}

SC_EXIT(brk)
{
	BEGIN(SCAP_EVT_BRK_X);
	push_u64(a, ret);
	push_cur_mm(a);
	push_u64(a, ARG(0));
	return ev_submit(a);
}

SC_EXIT(mlock)
{
	BEGIN(SCAP_EVT_MLOCK_X);
	push_s64(a, ret);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(munlock)
{
	BEGIN(SCAP_EVT_MUNLOCK_X);
	push_s64(a, ret);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(mlock2)
{
	BEGIN(SCAP_EVT_MLOCK2_X);
	push_s64(a, ret);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	push_u32(a, ARG(2) & 1); /* MLOCK_ONFAULT */
	return ev_submit(a);
}

SC_EXIT(mlockall)
{
	BEGIN(SCAP_EVT_MLOCKALL_X);
	push_s64(a, ret);
	push_u32(a, ARG(0) & 7); /* MCL_CURRENT 1, MCL_FUTURE 2, MCL_ONFAULT 4: same bits */
	return ev_submit(a);
}

SC_EXIT(munlockall)
{
	BEGIN(SCAP_EVT_MUNLOCKALL_X);
	push_s64(a, ret);
	return ev_submit(a);
}
