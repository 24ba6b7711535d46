package org.rdnas.train;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.config.RdnasConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.Cifar10;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.data.ImageDataset;
import org.rdnas.io.HadoopPaths;
import org.rdnas.io.InputException;

/**
 * The training images and the held-out images of a run, and the rule that picks them: when the
 * data path is a CIFAR-10 folder holding training batches and the test batch, training reads the
 * training batches (at most {@code data.limit}) and the held-out set is the first
 * {@code train.held-out} test images; otherwise (one file, an image folder, or synthetic images)
 * the loaded images
 * are split by {@link ImageDataset#split} with the eval seed, so runs with different training seeds
 * are evaluated on the same images. {@code train.train-images} then keeps the first that many
 * training images. Training never sees a held-out image.
 *
 * @param train the training images, with augmentation available
 * @param heldOut the evaluation images
 */
public record TrainData(BatchAssembler train, BatchAssembler heldOut) {

  public TrainData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(heldOut, "heldOut");
  }

  /** One line for logs and the summary. */
  public String description() {
    return train.data().size() + " training images, " + heldOut.data().size()
        + " held out (" + train.data().origin() + ")";
  }

  /**
   * Everything that decides which images a run trains and evaluates on; small and Java-serialisable
   * so it rides in task closures, and the key of the per-JVM data cache.
   *
   * @param source CIFAR-10 files, an image folder or synthetic images
   * @param path the CIFAR-10 file or folder, or the image folder ("" for synthetic)
   * @param limit at most this many images are read (0 = all)
   * @param syntheticSize synthetic images generated
   * @param heldOut images held out for evaluation
   * @param trainImages training images kept (0 = all that remain)
   * @param splitSeed seed of the held-out split (and of an image folder's limit sample)
   * @param imageSize side an image folder's images are resized to
   */
  public record Spec(DataSource source, String path, int limit, int syntheticSize, int heldOut,
      int trainImages, long splitSeed, int imageSize) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    /** CIFAR-10 or synthetic images, which are 32 px. */
    public Spec(DataSource source, String path, int limit, int syntheticSize, int heldOut,
        int trainImages, long splitSeed) {
      this(source, path, limit, syntheticSize, heldOut, trainImages, splitSeed,
          Datasets.DEFAULT_IMAGE_SIZE);
    }

    /** The data settings of {@code config}. */
    public static Spec of(RdnasConfig config) {
      return new Spec(config.data().source(), config.data().path(), config.data().limit(),
          config.data().syntheticSize(), config.train().heldOut(), config.train().trainImages(),
          config.eval().seed(), config.data().imageSize());
    }

    /**
     * This spec with its path fully qualified on the driver (a relative path against the driver's
     * working folder), so that executors, whose working folders differ, read the same files.
     */
    public Spec qualified(Configuration conf) throws IOException {
      if (path.isEmpty()) {
        return this;
      }
      Path p = HadoopPaths.parse(path, "rdnas.data.path");
      String q = p.getFileSystem(conf).makeQualified(p).toString();
      return new Spec(source, q, limit, syntheticSize, heldOut, trainImages, splitSeed, imageSize);
    }

    /**
     * Loads and splits the images.
     *
     * @throws InputException when the counts do not fit the images there are
     * @throws IOException when the data cannot be read (the message names the path)
     */
    public TrainData load(Configuration conf) throws IOException {
      if (heldOut < 1) {
        // TrainConfig refuses it when the configuration loads; a Spec built by hand may not.
        throw new InputException("rdnas.train.held-out must be >= 1: evaluation needs"
            + " held-out images");
      }
      ImageDataset train;
      ImageDataset held;
      if (source == DataSource.CIFAR10 && hasTrainAndTest(conf)) {
        train = Cifar10.read(path, Cifar10.Part.TRAIN, limit == 0 ? Cifar10.NO_LIMIT : limit, conf);
        ImageDataset test = Cifar10.read(path, Cifar10.Part.TEST, Cifar10.NO_LIMIT, conf);
        if (heldOut > test.size()) {
          throw new InputException("rdnas.train.held-out = " + heldOut + " exceeds the "
              + test.size() + " images of the test batch in " + path);
        }
        held = test.head(heldOut);
      } else {
        ImageDataset all = switch (source) {
          case CIFAR10 -> Datasets.load(DataSource.CIFAR10, path, Cifar10.Part.ALL,
              limit == 0 ? Cifar10.NO_LIMIT : limit, 0, conf);
          // A fixed set of images per size, whatever the run's seeds.
          case SYNTHETIC -> Datasets.load(DataSource.SYNTHETIC, "", Cifar10.Part.ALL,
              limit == 0 ? syntheticSize : Math.min(limit, syntheticSize), 0, conf);
          case IMAGE_FOLDER -> Datasets.load(DataSource.IMAGE_FOLDER, path, Cifar10.Part.ALL,
              limit == 0 ? Cifar10.NO_LIMIT : limit, splitSeed, imageSize, conf);
        };
        if (heldOut >= all.size()) {
          throw new InputException("rdnas.train.held-out = " + heldOut
              + " leaves no training images of the " + all.size() + " loaded from " + all.origin());
        }
        ImageDataset.Split split = all.split(heldOut, splitSeed);
        train = split.train();
        held = split.heldOut();
      }
      if (trainImages > 0) {
        if (trainImages > train.size()) {
          throw new InputException("rdnas.train.train-images = " + trainImages
              + " exceeds the " + train.size() + " training images available");
        }
        train = train.head(trainImages);
      }
      return new TrainData(BatchAssembler.standard(train), BatchAssembler.standard(held));
    }

    private boolean hasTrainAndTest(Configuration conf) throws IOException {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      try {
        if (!fs.getFileStatus(p).isDirectory() || !fs.exists(new Path(p, Cifar10.TEST_FILE))) {
          return false;
        }
      } catch (FileNotFoundException e) {
        return false; // Cifar10.read names the missing path
      }
      for (String name : Cifar10.TRAIN_FILES) {
        if (fs.exists(new Path(p, name))) {
          return true;
        }
      }
      return false;
    }
  }
}
