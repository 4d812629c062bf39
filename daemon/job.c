/* job.c - a document's bytes inside the broker, one ZeroMQ message per job.
 *
 * A job's body is a ZeroMQ message: the msgpack of the document (the input
 * of the segment it waits for) or, once a worker finished it, its output
 * line. Bodies arrive as buffers the broker encoded (handed over, not
 * copied) or copied out of a worker's DONE batch, and leave for sinks as
 * shared copies of the message (zmq_msg_copy counts references). Between
 * segments a body is copied once into the JOB batch and once out of the
 * DONE batch: two memcpy calls cost far less than the system calls a frame
 * per document would (batch.h). n_bytes counts the body of every job
 * counted in (pl set).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "broker.h"

static void replace_body(broker *b, job *j, size_t len, int is_output)
{
    if (j->pl)
        b->n_bytes = b->n_bytes - j->len + len;
    j->len = len;
    j->is_output = is_output;
}

/* m becomes j's body (the old one is released); m is left empty. */
static void adopt(broker *b, job *j, zmq_msg_t *m, int is_output)
{
    size_t len = zmq_msg_size(m);
    zmq_msg_move(&j->body, m);
    zmq_msg_close(m);
    replace_body(b, j, len, is_output);
}

int sift_job_set_buf(broker *b, job *j, char *buf, size_t len, int is_output)
{
    zmq_msg_t m;
    if (sift_msg_own(&m, buf, len) < 0)
        return SIFT_ENOMEM;
    adopt(b, j, &m, is_output);
    return 0;
}

int sift_job_copy_in(broker *b, job *j, const void *data, size_t len, int is_output)
{
    zmq_msg_t m;
    if (zmq_msg_init_size(&m, len) < 0)
        return SIFT_ENOMEM;
    memcpy(zmq_msg_data(&m), data, len);
    adopt(b, j, &m, is_output);
    return 0;
}

const char *sift_job_data(const job *j)
{
    return zmq_msg_data((zmq_msg_t *)&j->body); /* zmq_msg_data takes no const */
}

job *sift_job_new(void)
{
    job *j = calloc(1, sizeof *j);
    if (j)
        zmq_msg_init(&j->body);
    return j;
}

void sift_job_free(broker *b, job *j)
{
    if (j->pl) { /* it was counted in (ingest.c) */
        if (b->spool) /* done with it: its sinks have it, or it was never accepted */
            sift_spool_del(b->spool, j->id);
        b->n_jobs--;
        b->n_bytes -= j->len;
        sift_inflight_del(b->ids, j->doc_id, strlen(j->doc_id), j);
        j->pl->n_jobs--;
    }
    zmq_msg_close(&j->body);
    free(j->doc_id);
    free(j);
}
