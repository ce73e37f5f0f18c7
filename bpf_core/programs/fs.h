/* SPDX-License-Identifier: GPL-2.0-only */
/* Filesystem metadata: mkdir/rmdir, (un)link, symlink, rename, chmod, chown, mknod, access,
 * newfstatat, mount/umount2. Paths are what the caller passed (FSPATH / FSRELPATH). */

#define PUSH_PATH(n)  push_user_str(a, (void *)ARG(n), MAX_STR)
#define PUSH_DIRFD(n) push_s64(a, (int)ARG(n))

SC_EXIT(mkdir)
{
	BEGIN(SCAP_EVT_MKDIR_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(mkdirat)
{
	BEGIN(SCAP_EVT_MKDIRAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(rmdir)
{
	BEGIN(SCAP_EVT_RMDIR_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	return ev_submit(a);
}

SC_EXIT(unlink)
{
	BEGIN(SCAP_EVT_UNLINK_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	return ev_submit(a);
}

SC_EXIT(unlinkat)
{
	BEGIN(SCAP_EVT_UNLINKAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	push_u32(a, ARG(2) & 0x200); /* AT_REMOVEDIR: same value */
	return ev_submit(a);
}

SC_EXIT(link)
{
	BEGIN(SCAP_EVT_LINK_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	PUSH_PATH(1);
	return ev_submit(a);
}

SC_EXIT(linkat)
{
	BEGIN(SCAP_EVT_LINKAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	PUSH_DIRFD(2);
	PUSH_PATH(3);
	push_u32(a, ARG(4) & 0x1400); /* AT_SYMLINK_FOLLOW 0x400, AT_EMPTY_PATH 0x1000: same values */
	return ev_submit(a);
}

SC_EXIT(symlink)
{
	BEGIN(SCAP_EVT_SYMLINK_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	PUSH_PATH(1);
	return ev_submit(a);
}

SC_EXIT(symlinkat)
{
	BEGIN(SCAP_EVT_SYMLINKAT_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	PUSH_DIRFD(1);
	PUSH_PATH(2);
	return ev_submit(a);
}

SC_EXIT(rename)
{
	BEGIN(SCAP_EVT_RENAME_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	PUSH_PATH(1);
	return ev_submit(a);
}

SC_EXIT(renameat)
{
	BEGIN(SCAP_EVT_RENAMEAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	PUSH_DIRFD(2);
	PUSH_PATH(3);
	return ev_submit(a);
}

SC_EXIT(renameat2)
{
	BEGIN(SCAP_EVT_RENAMEAT2_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	PUSH_DIRFD(2);
	PUSH_PATH(3);
	push_u32(a, ARG(4) & 7); /* RENAME_NOREPLACE 1, EXCHANGE 2, WHITEOUT 4: same bits */
	return ev_submit(a);
}

SC_EXIT(chmod)
{
	BEGIN(SCAP_EVT_CHMOD_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, mode_to_scap(ARG(1)));
	return ev_submit(a);
}

SC_EXIT(fchmod)
{
	BEGIN(SCAP_EVT_FCHMOD_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	push_u32(a, mode_to_scap(ARG(1)));
	return ev_submit(a);
}

SC_EXIT(fchmodat)
{
	BEGIN(SCAP_EVT_FCHMODAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	push_u32(a, mode_to_scap(ARG(2)));
	return ev_submit(a);
}

SC_EXIT(chown)
{
	BEGIN(SCAP_EVT_CHOWN_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, ARG(1));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(lchown)
{
	BEGIN(SCAP_EVT_LCHOWN_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, ARG(1));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(fchown)
{
	BEGIN(SCAP_EVT_FCHOWN_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	push_u32(a, ARG(1));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(fchownat)
{
	__u32 f = ARG(4), r = 0;
	BEGIN(SCAP_EVT_FCHOWNAT_X);
	if (f & 0x100)
		r |= SCAP_FCHOWNAT_FLAGS_AT_SYMLINK_NOFOLLOW;
	if (f & 0x1000)
		r |= SCAP_FCHOWNAT_FLAGS_AT_EMPTY_PATH;
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	push_u32(a, ARG(2));
	push_u32(a, ARG(3));
	push_u32(a, r);
	return ev_submit(a);
}

SC_EXIT(mknod)
{
	BEGIN(SCAP_EVT_MKNOD_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, mode_to_scap(ARG(1)));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(mknodat)
{
	BEGIN(SCAP_EVT_MKNODAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	push_u32(a, mode_to_scap(ARG(2)));
	push_u32(a, ARG(3));
	return ev_submit(a);
}

SC_EXIT(access)
{
	BEGIN(SCAP_EVT_ACCESS_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, ARG(1) & 7); /* R_OK 4, W_OK 2, X_OK 1: same bits */
	return ev_submit(a);
}

SC_EXIT(newfstatat)
{
	BEGIN(SCAP_EVT_NEWFSTATAT_X);
	push_s64(a, ret);
	PUSH_DIRFD(0);
	PUSH_PATH(1);
	push_u32(a, ARG(3) & 0x1900); /* AT_SYMLINK_NOFOLLOW 0x100, AT_NO_AUTOMOUNT 0x800, AT_EMPTY_PATH 0x1000 */
	return ev_submit(a);
}

SC_EXIT(mount)
{
	BEGIN(SCAP_EVT_MOUNT_X);
	__u64 flags = ARG(3);
	if ((flags & 0xffff0000) == 0xC0ED0000) /* MS_MGC_VAL: old magic in the high bits */
		flags &= 0xffff;
	push_s64(a, ret);
	PUSH_PATH(0);
	PUSH_PATH(1);
	PUSH_PATH(2);
	push_u32(a, flags);
	return ev_submit(a);
}

SC_EXIT(umount2)
{
	BEGIN(SCAP_EVT_UMOUNT2_X);
	push_s64(a, ret);
	PUSH_PATH(0);
	push_u32(a, ARG(1) & 0xf); /* MNT_FORCE 1, DETACH 2, EXPIRE 4, NOFOLLOW 8 */
	return ev_submit(a);
}
